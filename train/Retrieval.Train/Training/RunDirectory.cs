using System.Text;
using System.Text.Json;

namespace Retrieval.Train.Training;

/// <summary>The files of one run (runs/&lt;name&gt;/) and atomic text writes into it.</summary>
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
    public string Onnx => File("model.onnx");

    /// <summary>Writes <paramref name="text"/> to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomic(string path, string text) => WriteAtomic(path, s => s.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        var tmp = path + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            System.IO.File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (System.IO.File.Exists(tmp)) System.IO.File.Delete(tmp);
        }
    }

    /// <summary>Rewrites metrics.jsonl with one compact JSON line per epoch record.</summary>
    public void WriteMetrics(IEnumerable<EpochRecord> history) =>
        WriteAtomic(Metrics, string.Concat(history.Select(r => JsonSerializer.Serialize(r, TrainingJson.Options) + "\n")));

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
