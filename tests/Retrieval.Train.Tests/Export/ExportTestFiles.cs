using System.Diagnostics;
using Retrieval.Train.Export;
using Retrieval.Train.Models;

namespace Retrieval.Train.Tests.Export;

/// <summary>Temporary directory for exported models, and the official ONNX checker (Debian python3-onnx).</summary>
internal sealed class ExportTestFiles : IDisposable
{
    public static readonly ModelExportInfo Info = new(ResizeSize: 80, Loss: "mfcwms", Dataset: "unit-test",
        ValidationMetrics: new Dictionary<string, double> { ["map_at_r"] = 0.25, ["precision_at_1"] = 0.5 }, GitRevision: "test-revision");

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("onnx-export-").FullName;

    public string Export(EmbeddingNetwork net, string name = "model.onnx")
    {
        var path = Path.Combine(Directory, name);
        OnnxExporter.Export(net, path, Info with { ResizeSize = Math.Max(Info.ResizeSize, net.Config.ImageSize) });
        return path;
    }

    /// <summary>Runs onnx.checker.check_model(full_check=True); returns (exit code, stderr).</summary>
    public static (int ExitCode, string Error) Check(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode == 0 && output.Trim() == "ok" ? 0 : Math.Max(1, process.ExitCode), error);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
