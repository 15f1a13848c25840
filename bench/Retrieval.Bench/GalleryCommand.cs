using System.CommandLine;
using System.Globalization;
using Retrieval.Bench.Gallery;
using Retrieval.Bench.Load;
using Retrieval.CommandLine;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench gallery`: the durable gallery through the real server at each N (fill via UpsertVectors, upsert
/// latency at that size, SIGKILL, restart to SERVING, memory and disk per item, compaction time), and the previous
/// single-file design measured the same way in the same run up to --baseline-max. Prints a table, writes JSON + markdown.
/// </summary>
public static class GalleryCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var counts = new Option<string>("--counts") { Description = "Comma-separated gallery sizes N.", DefaultValueFactory = _ => "10000,100000" };
        var dim = new Option<int>("--dim") { Description = "Embedding size.", DefaultValueFactory = _ => 128 };
        var single = new Option<int>("--single") { Description = "Timed single-item upserts per N.", DefaultValueFactory = _ => 1000 };
        var batches = new Option<int>("--batches") { Description = "Timed 100-item upserts per N.", DefaultValueFactory = _ => 100 };
        var loadBatch = new Option<int>("--load-batch") { Description = "Items per call while filling.", DefaultValueFactory = _ => 1000 };
        var compactAfter = new Option<int>("--compact-after") { Description = "Server setting: changed items per compaction.", DefaultValueFactory = _ => 8192 };
        var baselineMax = new Option<int>("--baseline-max") { Description = "Largest N also run with the previous design (it rebuilds the graph at start).", DefaultValueFactory = _ => 100_000 };
        var baselineSingle = new Option<int>("--baseline-single") { Description = "Timed single upserts of the previous design (each rewrites the file).", DefaultValueFactory = _ => 50 };
        var baselineBatches = new Option<int>("--baseline-batches") { Description = "Timed 100-item upserts of the previous design.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var serverExe = new Option<string>("--server-exe") { Description = "retrieval-server executable.", DefaultValueFactory = _ => "serve/Retrieval.Serve/bin/Release/net10.0/linux-x64/retrieval-server" };
        var output = new Option<string>("--out") { Description = "Folder for gallery.json and gallery.md.", DefaultValueFactory = _ => "artifacts/bench" };
        var command = new Command("gallery", "Durable gallery vs the previous single-file design: restart, upsert latency, memory and disk per item")
        {
            counts, dim, single, batches, loadBatch, compactAfter, baselineMax, baselineSingle, baselineBatches, seed, serverExe, output,
        };
        command.SetAction(async parse =>
        {
            var s = new GalleryBenchSettings(Path.GetFullPath(parse.GetValue(serverExe)!), parse.GetValue(dim), parse.GetValue(single), parse.GetValue(batches),
                parse.GetValue(loadBatch), parse.GetValue(compactAfter), parse.GetValue(baselineMax), parse.GetValue(baselineSingle), parse.GetValue(baselineBatches),
                parse.GetValue(seed));
            var sizes = parse.GetValue(counts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => int.TryParse(c, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new ArgumentException($"--counts: '{c}' is not a positive whole number")).ToArray();
            string loadBefore = MachineLoad.Text();
            var root = Directory.CreateTempSubdirectory("retrieval-bench-gallery-").FullName;
            var rows = new List<GalleryBenchRow>();
            try
            {
                BenchLog.Step($"exporting a small model with {s.Dimension}-d embeddings");
                var (model, _) = SyntheticRun.Create(root, "resnet-small", 32, s.Dimension, 0);
                var items = new SyntheticItems(s.Dimension, s.Seed);
                foreach (int n in sizes)
                {
                    // alternate the designs per size so both see the same machine load
                    rows.Add(await DurableGalleryRun.RunAsync(s, model, n, Path.Combine(root, $"gallery-{n}"), items));
                    BenchLog.Step($"durable, N={n:N0}: restart {rows[^1].RestartSeconds:F2} s, upsert p99 {rows[^1].Upsert1P99Ms:F2} ms, RSS {rows[^1].RssBytesPerItem:F0} B/item");
                    if (n <= s.BaselineMax)
                    {
                        rows.Add(await LegacyGalleryRun.RunAsync(s, n, root));
                        BenchLog.Step($"before, N={n:N0}: restart {rows[^1].RestartSeconds:F2} s, upsert p99 {rows[^1].Upsert1P99Ms:F2} ms, RSS {rows[^1].RssBytesPerItem:F0} B/item");
                    }
                    foreach (var leftover in Directory.EnumerateFileSystemEntries(root).Where(p => !p.EndsWith("model.onnx", StringComparison.Ordinal) && !p.EndsWith("data", StringComparison.Ordinal)))
                        if (Directory.Exists(leftover)) Directory.Delete(leftover, true); else File.Delete(leftover);
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
            GalleryBenchReport.Write(new GalleryBenchReport.Report(loadBefore, MachineLoad.Text(), Environment.ProcessorCount, s, rows), parse.GetValue(output)!);
            return ExitCodes.Success;
        });
        return command;
    }
}
