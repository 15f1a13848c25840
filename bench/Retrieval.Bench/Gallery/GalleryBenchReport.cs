using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Bench.Gallery;

/// <summary>Prints the gallery benchmark as a table and writes gallery.json and gallery.md (the table, the targets and the machine load).</summary>
public static class GalleryBenchReport
{
    /// <summary>The run's rows with the machine's load before and after.</summary>
    public sealed record Report(string LoadBefore, string LoadAfter, int Cores, GalleryBenchSettings Settings, IReadOnlyList<GalleryBenchRow> Rows);

    /// <summary>Prints and writes the report into <paramref name="output"/>.</summary>
    public static void Write(Report report, string output)
    {
        Directory.CreateDirectory(output);
        JsonFiles.Write(Path.Combine(output, "gallery.json"), report);
        var markdown = Markdown(report);
        AtomicFile.WriteAllText(Path.Combine(output, "gallery.md"), markdown);
        Console.WriteLine(markdown);
        Console.WriteLine($"Wrote {Path.Combine(output, "gallery.json")} and gallery.md");
    }

    private static string Markdown(Report r)
    {
        var md = new StringBuilder();
        md.AppendLine($"Machine: {r.Cores} cores; load average before {r.LoadBefore}, after {r.LoadAfter}. {r.Settings.Dimension}-d embedding-like vectors " +
            $"({SyntheticItems.Classes} classes) through UpsertVectors; HNSW M 16, efConstruction 200; compaction every {r.Settings.CompactAfter} changed items.");
        md.AppendLine();
        md.AppendLine("| design | items | restart to SERVING (s) | replayed | empty start (s) | upsert x1 p50 / p99 (ms) | upsert x100 p50 / p99 (ms) | RSS B/item (x ideal) | disk B/item | last compaction (s @ items) | fill items/s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var x in r.Rows)
        {
            md.AppendLine($"| {x.Design} | {x.Items:N0} | {x.RestartSeconds:F2} | {x.ReplayedAtRestart:N0} | {x.EmptyStartSeconds:F2} | " +
                $"{x.Upsert1P50Ms:F2} / {x.Upsert1P99Ms:F2} (n={x.Upsert1Samples}) | {x.Upsert100P50Ms:F1} / {x.Upsert100P99Ms:F1} (n={x.Upsert100Samples}) | " +
                $"{x.RssBytesPerItem:F0} ({x.RssBytesPerItem / x.IdealBytesPerItem:F2}) | {x.DiskBytesPerItem:F0} | " +
                (x.LastCompactionSeconds is { } c ? $"{c:F2} @ {x.LastCompactionItems:N0} ({x.Compactions} runs)" : "every write rewrites all") + " | " +
                (x.FillItemsPerSecond is { } f ? $"{f:N0}" : "-") + " |");
        }
        md.AppendLine();
        var durable = r.Rows.Where(x => x.Design.StartsWith("durable", StringComparison.Ordinal)).OrderBy(x => x.Items).ToList();
        var before = r.Rows.Where(x => !x.Design.StartsWith("durable", StringComparison.Ordinal)).ToDictionary(x => x.Items - r.Settings.BaselineSingle - 100 * r.Settings.BaselineBatches);
        foreach (var x in durable)
        {
            int n = x.Items - r.Settings.Single - 100 * r.Settings.Batches;
            var line = new StringBuilder($"- N = {n:N0}: restart {x.RestartSeconds:F2} s (target at 1,000,000: <= 10 s); RSS {x.RssBytesPerItem / x.IdealBytesPerItem:F2}x the ideal {x.IdealBytesPerItem:F0} B (target <= 1.3x)");
            if (durable[0] != x) line.Append($"; upsert p99 {x.Upsert1P99Ms / durable[0].Upsert1P99Ms:F2}x (batch 1) and {x.Upsert100P99Ms / durable[0].Upsert100P99Ms:F2}x (batch 100) that at the smallest N (target <= 2x at 1,000,000 vs 10,000)");
            if (before.TryGetValue(n, out var old))
                line.Append($"; vs before: restart {old.RestartSeconds / x.RestartSeconds:F1}x faster, upsert p99 (batch 1) {old.Upsert1P99Ms / x.Upsert1P99Ms:F0}x lower, RSS per item {old.RssBytesPerItem / x.RssBytesPerItem:F2}x");
            md.AppendLine(line.ToString());
        }
        return md.ToString();
    }
}
