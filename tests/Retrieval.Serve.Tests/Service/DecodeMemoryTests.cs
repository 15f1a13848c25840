using Retrieval.Core.Imaging;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Runs alone (no other test allocates meanwhile) so the process's peak RSS measures this test only.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}

/// <summary>N simultaneous 40-megapixel images cannot exhaust memory: decodes beyond the cap wait their turn.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class DecodeMemoryTests : TempDirectoryTest
{
    private const int Clients = 4;

    [Fact]
    public async Task FourSimultaneous40MegapixelImagesStayUnderHalfAGigabyteOfPeakRss()
    {
        var settings = FakeServerSettings(6);
        settings["Limits:MaxConcurrentDecodes"] = "1";
        await using var host = await ServingHost.StartAsync(settings);
        var image = BlankPng.Black(6400, 6250); // 40,000,000 pixels: decoding alone needs 160 MB RGBA + 120 MB RGB
        await host.Client.SearchAsync(ImageLimitsTests.Search(BlankPng.Black(64, 64)));

        long before = ProcessMemory.ResetPeak();
        var replies = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => host.Client.SearchAsync(ImageLimitsTests.Search(image)).ResponseAsync));
        long peak = ProcessMemory.PeakBytes() - before;

        Assert.All(replies, r => Assert.Single(r.Neighbors));
        // Measured here: one decode at a time 274 MiB; unbounded (4 at once, as before the gate) over 1 GiB.
        Assert.True(peak < 512L << 20, $"peak RSS grew by {peak >> 20} MiB while {Clients} clients sent 40 MP images");
    }
}
