extern alias bench;

using bench::Retrieval.Bench.Gallery;

namespace Retrieval.Serve.Tests.Service;

/// <summary>
/// The real server process killed with SIGKILL during upserts, deletes and compactions (a few rounds here;
/// `make crash-gallery` runs the same harness for 20+ rounds): after each restart every acknowledged write is present,
/// the write in flight is wholly applied or wholly absent, and the gallery loads.
/// </summary>
[Collection("TorchSharp")]
public sealed class GalleryCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gallery-crash").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task KilledServersKeepEveryAcknowledgedWriteAndNoHalfBatch()
    {
        var model = TinyOnnxModel.Export(Path.Combine(_dir, "model.onnx"));
        var exe = Path.Combine(AppContext.BaseDirectory, "retrieval-server");
        var settings = new CrashSettings(exe, model, TinyOnnxModel.Dimension, Path.Combine(_dir, "gallery"), Rounds: 4, Seed: 11, CompactAfter: 25, Universe: 150);

        var report = await CrashHarness.RunAsync(settings, _ => { });

        Assert.Empty(report.Violations);
        Assert.True(report.AcknowledgedWrites > 0, "no write was acknowledged before the kills");
        Assert.True(report.KilledDuringCompaction >= 1, "no kill landed during a compaction");
    }

    [Fact]
    public async Task TheHarnessReportsLostWrites()
    {
        var model = TinyOnnxModel.Export(Path.Combine(_dir, "model.onnx"));
        var folder = Path.Combine(_dir, "gallery");
        var settings = new CrashSettings(Path.Combine(AppContext.BaseDirectory, "retrieval-server"), model, TinyOnnxModel.Dimension, folder,
            Rounds: 1, Seed: 3, CompactAfter: 25, Universe: 100);

        // Losing the gallery between the kill and the restart must show up as missing acknowledged items.
        var report = await CrashHarness.RunAsync(settings, _ => { }, round => { if (round == 1) Directory.Delete(folder, recursive: true); });

        Assert.Contains(report.Violations, v => v.Contains("is missing", StringComparison.Ordinal));
    }
}
