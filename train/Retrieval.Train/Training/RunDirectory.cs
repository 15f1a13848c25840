using System.Text.Json;
using Retrieval.Core.IO;

namespace Retrieval.Train.Training;

/// <summary>The files of one run (runs/&lt;name&gt;/).</summary>
public sealed class RunDirectory
{
    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
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
        AtomicFile.WriteAllText(Metrics, string.Concat(history.Select(r => JsonSerializer.Serialize(r, TrainingJson.Options) + "\n")));

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
