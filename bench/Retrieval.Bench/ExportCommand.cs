using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Retrieval.OnnxRuntime;
using Retrieval.Train.Export;
using Retrieval.Train.Models;
using Spectre.Console;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Bench;

/// <summary>`retrieval-bench export`: embeddings/s of ONNX Runtime vs TorchSharp on the same exported model, batch 1 and 32, in one run.</summary>
public static class ExportCommand
{
    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        var models = new Option<string[]>("--model")
        {
            Description = "backbone@imagesize to measure (repeatable)",
            DefaultValueFactory = _ => ["resnet-small@64", "resnet18@224"],
            AllowMultipleArgumentsPerToken = true,
        };
        var batches = new Option<int[]>("--batch") { Description = "Batch sizes", DefaultValueFactory = _ => [1, 32], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "Measured time per engine and case", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both engines", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<string>("--json") { Description = "Where to write the JSON results", DefaultValueFactory = _ => "artifacts/bench/export.json" };
        var command = new Command("export", "ONNX Runtime vs TorchSharp embeddings/s on the same model (batch 1 and 32).");
        foreach (var option in new Option[] { models, batches, seconds, threads, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var rows = Run(parse.GetValue(models)!, parse.GetValue(batches)!, parse.GetValue(seconds), parse.GetValue(threads));
            Print(rows, parse.GetValue(threads));
            var path = parse.GetValue(json)!;
            var document = new { threads = parse.GetValue(threads), seconds = parse.GetValue(seconds), rows = rows.Select(r => new { r.Backbone, r.ImageSize, r.Batch, r.OnnxRuntimePerSecond, r.TorchSharpPerSecond, r.Ratio, r.MaxAbsDiff }) };
            JsonFiles.Write(path, document);
            Console.WriteLine($"wrote {path}");
            return 0;
        });
        return command;
    }

    private static List<ExportBenchmarkRow> Run(string[] models, int[] batches, double seconds, int threads)
    {
        set_num_threads(threads);
        var rows = new List<ExportBenchmarkRow>();
        var directory = Directory.CreateTempSubdirectory("bench-export-").FullName;
        try
        {
            foreach (var spec in models)
            {
                var parts = spec.Split('@');
                if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var imageSize))
                    throw new ArgumentException($"--model '{spec}': expected backbone@imagesize, e.g. resnet18@224.");
                manual_seed(1);
                using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(parts[0], 128, imageSize));
                net.eval();
                var path = Path.Combine(directory, parts[0] + ".onnx");
                OnnxExporter.Export(net, path, new ModelExportInfo(imageSize, "none", "benchmark", new Dictionary<string, double>(), "benchmark"));
                using var embedder = new OnnxEmbedder(path, new OnnxEmbedderOptions { IntraOpThreads = threads, MaxBatchSize = batches.Max() });
                foreach (var batch in batches)
                {
                    using var scope = NewDisposeScope();
                    var x = rand(batch, 3, imageSize, imageSize);
                    var flat = x.data<float>().ToArray();
                    Console.WriteLine($"measuring {parts[0]}@{imageSize} batch {batch} ...");
                    var torchOut = TorchForward(net, x);
                    var ortOut = embedder.Embed(flat, batch);
                    var diff = torchOut.Zip(ortOut, (a, b) => (double)Math.Abs(a - b)).Max();
                    var ort = Throughput(() => embedder.Embed(flat, batch), batch, seconds);
                    var torch = Throughput(() => TorchForward(net, x), batch, seconds);
                    rows.Add(new ExportBenchmarkRow(parts[0], imageSize, batch, ort, torch, diff));
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return rows;
    }

    private static float[] TorchForward(EmbeddingNetwork net, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return net.forward(x).data<float>().ToArray();
    }

    /// <summary>Images/s over at least <paramref name="seconds"/> (and 3 calls) after one warm-up call.</summary>
    private static double Throughput(Action call, int batch, double seconds)
    {
        call();
        var watch = Stopwatch.StartNew();
        var calls = 0;
        while (calls < 3 || watch.Elapsed.TotalSeconds < seconds)
        {
            call();
            calls++;
        }
        return calls * batch / watch.Elapsed.TotalSeconds;
    }

    private static void Print(List<ExportBenchmarkRow> rows, int threads)
    {
        if (Console.IsOutputRedirected)
        {
            PrintMarkdown(rows, threads);
            return;
        }
        var table = new Table().Title($"Embeddings/s, ONNX Runtime vs TorchSharp (CPU, {threads} threads)");
        foreach (var column in new[] { "model", "batch", "ONNX Runtime /s", "TorchSharp /s", "ORT / Torch", "max |diff|" }) table.AddColumn(column);
        foreach (var r in rows)
            table.AddRow($"{r.Backbone}@{r.ImageSize}", r.Batch.ToString(CultureInfo.InvariantCulture), r.OnnxRuntimePerSecond.ToString("F1", CultureInfo.InvariantCulture),
                r.TorchSharpPerSecond.ToString("F1", CultureInfo.InvariantCulture), r.Ratio.ToString("F2", CultureInfo.InvariantCulture) + "x", r.MaxAbsDiff.ToString("0.0e0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }

    private static void PrintMarkdown(List<ExportBenchmarkRow> rows, int threads)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Embeddings/s, ONNX Runtime vs TorchSharp (CPU, {threads} threads)");
        Console.WriteLine("| model | batch | ONNX Runtime /s | TorchSharp /s | ORT / Torch | max abs diff |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            Console.WriteLine(string.Create(c, $"| {r.Backbone}@{r.ImageSize} | {r.Batch} | {r.OnnxRuntimePerSecond:F1} | {r.TorchSharpPerSecond:F1} | {r.Ratio:F2}x | {r.MaxAbsDiff:0.0e0} |"));
    }
}
