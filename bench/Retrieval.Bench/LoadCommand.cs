using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.Bench.Load;
using Retrieval.Cli.Client;
using Retrieval.CommandLine;
using Retrieval.Core.IO;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench load`: N concurrent gRPC clients for T seconds against retrieval-server on loopback, once with
/// micro-batching off (max batch 1) and once on; prints p50/p95/p99 latency and QPS, writes JSON, fails on any error.
/// The load itself is `retrieval loadtest`'s <see cref="LoadTestRunner"/>, run for a time instead of a count.
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
            if (dataRoot is null) throw new ArgumentException("--data: give a data directory with query images, or --synthetic N");
            var queryImages = QueryImageFolder.Read(dataRoot, parse.GetValue(images), "--data");
            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            int n = parse.GetValue(clients), batch = parse.GetValue(maxBatch), topK = parse.GetValue(k);
            double wait = parse.GetValue(maxWait);
            var results = new List<LoadRun>();
            if (parse.GetValue(server) is { } address)
            {
                results.Add(new LoadRun("external", 0, 0, duration.TotalSeconds, await Measure(address, parse.GetValue(apiKey), queryImages, n, duration, topK)));
            }
            else
            {
                if (modelPath is null || !File.Exists(modelPath))
                    throw new ArgumentException($"--model must name model.onnx (got '{modelPath}'), or pass --server.");
                var index = Path.Combine(Path.GetTempPath(), $"retrieval-bench-load-{Environment.ProcessId}-gallery");
                try
                {
                    foreach (var (mode, b) in new[] { ("unbatched", 1), ("batched", batch) })
                    {
                        Console.WriteLine($"Starting retrieval-server ({mode}, max batch {b}) ...");
                        string[] args = ["--model", modelPath, "--data", dataRoot, "--index", index, "--max-batch", b.ToString(), "--max-wait-ms", wait.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                        await using var process = await ServerProcess.StartAsync(parse.GetValue(serverExe)!, args, TimeSpan.FromMinutes(10), line => Console.WriteLine($"  server: {line}"));
                        Console.WriteLine($"Running {n} clients for {duration.TotalSeconds:F0} s ...");
                        results.Add(new LoadRun(mode, b, b == 1 ? 0 : wait, duration.TotalSeconds, await Measure(process.Address, null, queryImages, n, duration, topK)));
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
            JsonFiles.Write(jsonPath, results);
            Console.WriteLine($"Wrote {jsonPath}");
            var failed = results.Where(r => r.Report.Failed > 0).ToList();
            if (failed.Count > 0)
                throw new CommandFailedException(string.Join("; ", failed.Select(r => $"{r.Mode}: {r.Report.Failed} failed requests, first: {r.Report.FirstError}")));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One run: <paramref name="clients"/> calls in flight for <paramref name="duration"/> after a one-second warm-up, no client retry.</summary>
    private static async Task<LoadTestReport> Measure(string address, string? apiKey, List<byte[]> images, int clients, TimeSpan duration, int k)
    {
        using var channel = GrpcChannel.ForAddress(RetrievalChannel.ParseAddress(address), new GrpcChannelOptions { MaxSendMessageSize = null });
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(apiKey)) headers.Add("x-api-key", apiKey);
        var runner = new LoadTestRunner(channel, address) { CallTimeout = TimeSpan.FromSeconds(30), Headers = headers };
        return await runner.RunForAsync(images, duration, clients, k, TimeSpan.FromSeconds(1));
    }

    private static void Print(List<LoadRun> results)
    {
        var c = CultureInfo.InvariantCulture;
        var baseline = results.FirstOrDefault(r => r.Mode == "unbatched")?.Report;
        var table = new Table().Title("gRPC Search load (loopback)")
            .AddColumn("mode").AddColumn("max batch").AddColumn("clients").AddColumn("requests").AddColumn("errors")
            .AddColumn("QPS").AddColumn("p50 ms").AddColumn("p95 ms").AddColumn("p99 ms").AddColumn("QPS vs unbatched");
        foreach (var (mode, maxBatch, _, _, r) in results)
            table.AddRow(mode, maxBatch.ToString(c), r.Concurrency.ToString(c), r.Queries.ToString(c), r.Failed.ToString(c), r.QueriesPerSecond.ToString("F1", c),
                Ms(r.LatencyP50Ms), Ms(r.LatencyP95Ms), Ms(r.LatencyP99Ms), baseline is null ? "-" : (r.QueriesPerSecond / baseline.QueriesPerSecond).ToString("F2", c) + "x");
        AnsiConsole.Write(table);
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
