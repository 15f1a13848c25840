using System.Text.Json;
using Retrieval.Core.IO;

namespace Retrieval.Train.Training;

/// <summary>
/// The files of one run (runs/&lt;name&gt;/). The folder carries <see cref="MarkerFile"/>, written when this class creates
/// or first claims it: `make train` replaces only folders with the marker, and a non-empty folder without it (one
/// retrieval-train did not make) is never written into.
/// </summary>
public sealed class RunDirectory
{
    public const string MarkerFile = ".retrieval-run";

    /// <exception cref="IOException">The folder exists, is not empty and was not made by retrieval-train.</exception>
    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        string marker = File(MarkerFile);
        if (System.IO.File.Exists(marker))
            return;
        if (Directory.Exists(Path) && Directory.EnumerateFileSystemEntries(Path).Any())
            throw new IOException($"refusing to write a run into {Path}: the folder exists, is not empty and was not made by retrieval-train " +
                                  $"(no {MarkerFile}); choose another --output/--name");
        Directory.CreateDirectory(Path);
        AtomicFile.WriteAllText(marker, "retrieval-train run directory\n");
    }

    public string Path { get; }
    public string Config => File("config.json");
    public string Metrics => File("metrics.jsonl");
    public string LastCheckpoint => File("last.ckpt");
    public string BestCheckpoint => File("best.ckpt");
    public string LearningCurve => File("learning-curve.png");
    public string TestMetrics => File("test-metrics.json");
    public string TestGrid => File("test-grid.png");
    public string Onnx => File("model.onnx");

    /// <summary>Rewrites metrics.jsonl with one compact JSON line per epoch record.</summary>
    public void WriteMetrics(IEnumerable<EpochRecord> history) =>
        AtomicFile.WriteAllText(Metrics, string.Concat(history.Select(r => JsonSerializer.Serialize(r, JsonFiles.Options) + "\n")));

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
