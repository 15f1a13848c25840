using System.CommandLine;
using System.Text.Json;
using Retrieval.Bench.Load;
using Retrieval.Bench.Replicas;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench replicas`: two retrieval-server replicas sharing a gallery in PostgreSQL (--store) and, as the peer
/// in the same run, one server on the embedded store: sustained upserts/s (UpsertVectors, batches of 1 and 100) through
/// one replica and through the embedded server, the time from an acknowledged upsert on one replica until the other
/// serves it (p50/p99), and the database's bytes per item. Prints a table, writes JSON.
/// </summary>
public static class ReplicasCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "PostgreSQL connection string (key=value) the replicas share; use an empty database.", Required = true };
        var serverExe = new Option<string>("--server-exe") { Description = "retrieval-server executable.", DefaultValueFactory = _ => "serve/Retrieval.Serve/bin/Release/net10.0/linux-x64/retrieval-server" };
        var clients = new Option<int>("--clients") { Description = "Concurrent upsert clients.", DefaultValueFactory = _ => 4 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per upsert run.", DefaultValueFactory = _ => 10 };
        var samples = new Option<int>("--samples") { Description = "Single upserts timed until the other replica serves them.", DefaultValueFactory = _ => 200 };
        var dimension = new Option<int>("--dimension") { Description = "Embedding size (the synthetic model's).", DefaultValueFactory = _ => 128 };
        var json = new Option<string>("--json") { Description = "Where to write the JSON results.", DefaultValueFactory = _ => "artifacts/bench/replicas.json" };
        var command = new Command("replicas", "Replicas on PostgreSQL: upserts/s vs the embedded store, write-to-visible latency between replicas, bytes per item.")
        {
            store, serverExe, clients, seconds, samples, dimension, json,
        };
        command.SetAction(async parse =>
        {
            var root = Directory.CreateTempSubdirectory("retrieval-bench-replicas-").FullName;
            try
            {
                int dim = parse.GetValue(dimension), n = parse.GetValue(clients);
                var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
                var connection = parse.GetValue(store)!;
                string loadBefore = LoadAverage();
                BenchLog.Step($"Exporting a synthetic model ({dim}-d) to {root}");
                var (model, _) = SyntheticRun.Create(root, "resnet-small", 64, dim, 1);
                var exe = parse.GetValue(serverExe)!;
                async Task<ServerProcess> Start(string name, params string[] extra)
                {
                    BenchLog.Step($"Starting {name}");
                    return await ServerProcess.StartAsync(exe, ["--model", model, "--index", Path.Combine(root, name), .. extra], TimeSpan.FromMinutes(5),
                        line => BenchLog.Step($"  {name}: {line}"));
                }
                await using var a = await Start("replica-a", "--store", connection);
                await using var b = await Start("replica-b", "--store", connection);
                await using var local = await Start("embedded");

                BenchLog.Step($"Write-to-visible: {parse.GetValue(samples)} single upserts on replica A, each polled on replica B");
                var (ack, visible, misses) = await ReplicaBenchmark.VisibilityAsync(a.Address, b.Address, dim, parse.GetValue(samples), 1);
                var runs = new List<UpsertRun>();
                long idBase = 10_000_000;
                foreach (int batch in new[] { 1, 100 })
                    foreach (var (name, server) in new[] { ("postgres", a), ("embedded", local) })
                    {
                        BenchLog.Step($"Upserts: {name}, batches of {batch}, {n} clients, {duration.TotalSeconds:F0} s");
                        runs.Add(await ReplicaBenchmark.UpsertAsync(server.Address, name, dim, batch, n, duration, idBase));
                        idBase += 100_000_000_000L;
                    }
                var (bytes, rows, live) = await ReplicaBenchmark.DatabaseSizeAsync(connection);
                var result = new ReplicaBenchResult(dim, runs, ack.Length, misses, ReplicaBenchmark.Percentile(ack, 0.5), ReplicaBenchmark.Percentile(ack, 0.99),
                    ReplicaBenchmark.Percentile(visible, 0.5), ReplicaBenchmark.Percentile(visible, 0.99), bytes, rows, live,
                    live == 0 ? 0 : (double)bytes / rows, loadBefore, LoadAverage());
                Print(result);
                var path = parse.GetValue(json)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"Wrote {path}");
                return runs.Any(r => r.Errors > 0) || misses > 0 ? 1 : 0;
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });
        return command;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static void Print(ReplicaBenchResult r)
    {
        if (Console.IsOutputRedirected)
        {
            // Plain text in logs and files: no colour codes, wide enough for the table.
            AnsiConsole.Profile.Width = 160;
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
        }
        var table = new Table().Title($"Upserts (UpsertVectors, {r.Dimension}-d) through one server; load average {r.LoadBefore} -> {r.LoadAfter}")
            .AddColumn("store").AddColumn("batch").AddColumn("clients").AddColumn("items/s").AddColumn("calls/s").AddColumn("p50 ms").AddColumn("p99 ms")
            .AddColumn("errors").AddColumn("items/s vs embedded");
        foreach (var run in r.Upserts)
        {
            var peer = r.Upserts.FirstOrDefault(p => p.Store == "embedded" && p.Batch == run.Batch);
            table.AddRow(run.Store, run.Batch.ToString(), run.Clients.ToString(), run.ItemsPerSecond.ToString("F0"), run.CallsPerSecond.ToString("F1"),
                run.P50Ms.ToString("F1"), run.P99Ms.ToString("F1"), run.Errors.ToString(), peer is null ? "-" : $"{run.ItemsPerSecond / peer.ItemsPerSecond:F2}x");
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine($"Single upsert on replica A: reply p50 {r.AckP50Ms:F1} ms, p99 {r.AckP99Ms:F1} ms; served by replica B after the reply: " +
            $"p50 {r.VisibleP50Ms:F1} ms, p99 {r.VisibleP99Ms:F1} ms ({r.VisibilitySamples} samples, {r.VisibilityMisses} not within 10 s)");
        AnsiConsole.WriteLine($"PostgreSQL gallery_items: {r.DatabaseBytes:N0} bytes for {r.DatabaseRows:N0} rows ({r.LiveItems:N0} live): {r.DatabaseBytesPerItem:F0} bytes per row");
    }
}
