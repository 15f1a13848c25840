using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Retrieval.Core.Imaging;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Images whose decoding or resizing would cost far more than their bytes are refused on the header, fast.</summary>
public sealed class ImageLimitsTests : TempDirectoryTest
{

    internal static SearchRequest Search(byte[] image) => new() { Image = ByteString.CopyFrom(image), Options = new SearchOptions { K = 1 } };

    [Theory]
    [InlineData(1, 600_000)]
    [InlineData(600_000, 1)]
    [InlineData(1, 1_000_000)]
    public async Task ExtremeAspectRatiosAreRefusedOnTheHeaderInUnder100Ms(int width, int height)
    {
        await using var host = await ServingHost.StartAsync(FakeServerSettings(6));
        var strip = BlankPng.Black(width, height);
        Assert.True(strip.Length < 4 * 1024, $"the attack image is {strip.Length} bytes");
        await host.Client.SearchAsync(Search(BlankPng.Black(40, 30))); // warm the path up: JIT is not what is measured

        // Before: 21.7 s and 2.4 GB for 1x600,000; INTERNAL "Arithmetic operation resulted in an overflow" for 1x1,000,000.
        var best = TimeSpan.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<RpcException>(() => host.Client.SearchAsync(Search(strip)).ResponseAsync);
            clock.Stop();
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Contains("aspect ratio", e.Status.Detail);
            Assert.Contains("20:1", e.Status.Detail);
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        Assert.True(best < TimeSpan.FromMilliseconds(100), $"refusing a {width}x{height} PNG took {best.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task ConcurrentDecodesNeverExceedTheConfiguredCap()
    {
        var settings = FakeServerSettings(6);
        settings["Limits:MaxConcurrentDecodes"] = "2";
        await using var host = await ServingHost.StartAsync(settings);
        var image = BlankPng.Black(1200, 900);
        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => host.Client.SearchAsync(Search(image)).ResponseAsync));
        Assert.All(replies, r => Assert.Single(r.Neighbors));
        Assert.InRange(host.Loader.Loaded[0].MaxConcurrentPreprocess, 1, 2);
    }
}
