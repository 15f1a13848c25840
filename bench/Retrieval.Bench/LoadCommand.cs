using System.CommandLine;
using System.Text.Json;
using Retrieval.Bench.Load;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench load`: N concurrent gRPC clients for T seconds against retrieval-server on loopback, once with
/// micro-batching off (max batch 1) and once on; prints p50/p95/p99 latency and QPS, writes JSON, fails on any error.
/// </summary>
public static class LoadCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "model.onnx to serve (starts retrieval-server twice: batching off, then on)." };
        var data = new Option<string?>("--data") { Description = "Data root with list_eval_partition.txt (gallery, and query images)." };
        var server = new Option<string?>("--server") { Description = "Benchmark an already running server at this address instead." };
        var serverExe = new Option<string>("--server-exe") { Description = "retrieval-server executable.", DefaultValueFactory = _ => "serve/Retrieval.Serve/bin/Release/net10.0/linux-x64/retrieval-server" };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 16 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per run.", DefaultValueFactory = _ => 10 };
        var maxBatch = new Option<int>("--max-batch") { Description = "Micro-batch size of the batched run.", DefaultValueFactory = _ => 32 };
        var maxWait = new Option<double>("--max-wait-ms") { Description = "Micro-batch wait of the batched run.", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "Distinct query images cycled through.", DefaultValueFactory = _ => 64 };
        var k = new Option<int>("-k") { Description = "Neighbours per query.", DefaultValueFactory = _ => 10 };
        var json = new Option<string>("--json") { Description = "Where to write the JSON results.", DefaultValueFactory = _ => "artifacts/bench/load.json" };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for --server." };
        var synthetic = new Option<int>("--synthetic") { Description = "Without --model/--data: export an untrained resnet-small (64 px, 128-d) and draw this many gallery PNGs.", DefaultValueFactory = _ => 0 };
        var command = new Command("load", "gRPC load benchmark: latency percentiles and QPS with and without micro-batching.")
        {
            model, data, server, serverExe, clients, seconds, maxBatch, maxWait, images, k, json, apiKey, synthetic,
        };
        command.SetAction(async parse =>
        {
            var dataRoot = parse.GetValue(data);
            var modelPath = parse.GetValue(model);
            var syntheticRoot = Path.Combine(Path.GetTempPath(), $"retrieval-bench-synthetic-{Environment.ProcessId}");
            if (parse.GetValue(synthetic) is > 0 and var count)
            {
                Console.WriteLine($"Writing a synthetic run (untrained resnet-small, {count} gallery PNGs) to {syntheticRoot} ...");
                (modelPath, dataRoot) = SyntheticRun.Create(syntheticRoot, "resnet-small", 64, 128, count);
            }
            if (dataRoot is null || !Directory.Exists(dataRoot))
            {
                Console.Error.WriteLine($"error: --data must name a data directory with query images (got '{dataRoot}').");
                return 2;
            }
            var queryImages = QueryImages(dataRoot, parse.GetValue(images));
            if (queryImages.Count == 0)
            {
                Console.Error.WriteLine($"error: no PNG or JPEG images under {dataRoot}.");
                return 2;
            }
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            int n = parse.GetValue(clients), batch = parse.GetValue(maxBatch), topK = parse.GetValue(k);
            double wait = parse.GetValue(maxWait);
            var results = new List<LoadResult>();
            if (parse.GetValue(server) is { } address)
            {
                results.Add(await LoadGenerator.RunAsync(address, queryImages, n, duration, topK, "external", 0, 0, parse.GetValue(apiKey)));
            }
            else
            {
                if (modelPath is null || !File.Exists(modelPath))
                {
                    Console.Error.WriteLine($"error: --model must name model.onnx (got '{modelPath}'), or pass --server.");
                    return 2;
                }
                var index = Path.Combine(Path.GetTempPath(), $"retrieval-bench-load-{Environment.ProcessId}-gallery");
                try
                {
                    foreach (var (mode, b) in new[] { ("unbatched", 1), ("batched", batch) })
                    {
                        Console.WriteLine($"Starting retrieval-server ({mode}, max batch {b}) ...");
                        string[] args = ["--model", modelPath, "--data", dataRoot, "--index", index, "--max-batch", b.ToString(), "--max-wait-ms", wait.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                        await using var process = await ServerProcess.StartAsync(parse.GetValue(serverExe)!, args, TimeSpan.FromMinutes(10), line => Console.WriteLine($"  server: {line}"));
                        Console.WriteLine($"Running {n} clients for {duration.TotalSeconds:F0} s ...");
                        results.Add(await LoadGenerator.RunAsync(process.Address, queryImages, n, duration, topK, mode, b, b == 1 ? 0 : wait, null));
                    }
                }
                finally
                {
                    if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
                    if (Directory.Exists(syntheticRoot)) Directory.Delete(syntheticRoot, recursive: true);
                }
            }
            Print(results);
            var jsonPath = parse.GetValue(json)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"Wrote {jsonPath}");
            var failed = results.Where(r => r.Errors > 0).ToList();
            foreach (var r in failed) Console.Error.WriteLine($"error: {r.Mode}: {r.Errors} failed requests, first: {r.FirstError}");
            return failed.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static List<byte[]> QueryImages(string root, int count) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal).Take(count).Select(File.ReadAllBytes).ToList();

    private static void Print(List<LoadResult> results)
    {
        var baseline = results.FirstOrDefault(r => r.Mode == "unbatched");
        var table = new Table().Title("gRPC Search load (loopback)")
            .AddColumn("mode").AddColumn("max batch").AddColumn("clients").AddColumn("requests").AddColumn("errors")
            .AddColumn("QPS").AddColumn("p50 ms").AddColumn("p95 ms").AddColumn("p99 ms").AddColumn("QPS vs unbatched");
        foreach (var r in results)
            table.AddRow(r.Mode, r.MaxBatch.ToString(), r.Clients.ToString(), r.Requests.ToString(), r.Errors.ToString(), r.Qps.ToString("F1"),
                r.P50Ms.ToString("F2"), r.P95Ms.ToString("F2"), r.P99Ms.ToString("F2"), baseline is null ? "-" : $"{r.Qps / baseline.Qps:F2}x");
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        AnsiConsole.Write(table);
    }
}
