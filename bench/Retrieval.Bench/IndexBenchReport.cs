using System.Globalization;
using System.Text;
using Retrieval.Core.IO;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>
/// Prints the index benchmark's tables and writes them as JSON and markdown: per data set a summary (QPS at recall
/// 0.90/0.95/0.99, ratios to native hnswlib, build/save/load time, bytes per vector) and every ef row.
/// </summary>
public static class IndexBenchReport
{
    /// <summary>The recalls at which QPS is interpolated.</summary>
    public static readonly double[] Targets = [0.90, 0.95, 0.99];

    /// <summary>The peer the ratios are taken against.</summary>
    public const string Reference = "hnswlib-native";

    /// <summary>Writes index-results.json and index-results.md into the folder and prints the tables.</summary>
    public static void Write(IReadOnlyList<IndexBenchResult> results, string folder)
    {
        var md = new StringBuilder();
        foreach (var r in results)
        {
            string title = $"{r.Dataset}: {r.Count:N0} x {r.Dimension}, {r.Queries:N0} queries, {r.Metric}, M={r.M}, efConstruction={r.EfConstruction}, k={r.K}, " +
                $"search threads 1 and {r.Threads}, build threads {r.BuildThreads}; load average {r.LoadBefore} before, {r.LoadAfter} after";
            md.AppendLine($"### {title}").AppendLine().AppendLine(r.Description).AppendLine();
            Emit(md, title, SummaryColumns(r), r.Sides.Select(s => SummaryRow(r, s)).ToList());
            Emit(md, $"{r.Dataset}: every ef", DetailColumns(r), r.Sides.SelectMany(s => s.Rows.Select(row => DetailRow(r, s, row))).ToList());
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "index-results.md"), md.ToString());
        JsonFiles.Write(Path.Combine(folder, "index-results.json"), results);
        BenchLog.Step($"wrote {folder}/index-results.{{json,md}}");
    }

    /// <summary>The side measured as <see cref="Reference"/>, if any.</summary>
    public static IndexBenchSide? ReferenceSide(IndexBenchResult r) => r.Sides.FirstOrDefault(s => s.Library == Reference);

    private static string[] SummaryColumns(IndexBenchResult r) =>
    [
        "library", "build s", "build CPU-s", "save s", "load s", "load CPU-s", "memory B/vec", "disk B/vec",
        .. Targets.Select(t => $"QPS 1T @{t:F2}"), .. Targets.Select(t => $"QPS {r.Threads}T @{t:F2}"), .. Targets.Select(t => $"QPS/CPU-s 1T @{t:F2}"),
        .. Targets.Select(t => $"1T / native @{t:F2}"), .. Targets.Select(t => $"{r.Threads}T / native @{t:F2}"), .. Targets.Select(t => $"CPU 1T / native @{t:F2}"),
    ];

    private static string[] SummaryRow(IndexBenchResult r, IndexBenchSide s)
    {
        var reference = ReferenceSide(r);
        string Ratio(double t, Func<IndexBenchRow, double> qps)
        {
            var mine = IndexRecallCurve.At(s.Rows, t, qps);
            var theirs = reference is null ? null : IndexRecallCurve.At(reference.Rows, t, qps);
            return mine is null || theirs is null ? "—" : (mine.Value.AtLeast || theirs.Value.AtLeast ? "~" : "") + F(mine.Value.Qps / theirs.Value.Qps, "F2");
        }
        string Qps(double t, Func<IndexBenchRow, double> qps) =>
            IndexRecallCurve.At(s.Rows, t, qps) is { } v ? (v.AtLeast ? "≥" : "") + F(v.Qps, "N0") : "not reached";
        return
        [
            s.Library, F(s.Build.BuildSeconds, "F1"), F(s.Build.BuildCpuSeconds, "F1"), F(s.Build.SaveSeconds, "F2"), s.Load is null ? "—" : F(s.Load.LoadSeconds, "F2"),
            s.Load is null ? "—" : F(s.Load.LoadCpuSeconds, "F2"),
            s.MemoryBytesPerVector(r.Count) is { } mem ? F(mem, "F0") : "—", F(s.DiskBytesPerVector(r.Count), "F0"),
            .. Targets.Select(t => Qps(t, x => x.Qps1)), .. Targets.Select(t => Qps(t, x => x.QpsAll)), .. Targets.Select(t => Qps(t, x => x.Qps1Cpu)),
            .. Targets.Select(t => Ratio(t, x => x.Qps1)), .. Targets.Select(t => Ratio(t, x => x.QpsAll)), .. Targets.Select(t => Ratio(t, x => x.Qps1Cpu)),
        ];
    }

    private static string[] DetailColumns(IndexBenchResult r) =>
        ["library", "ef", "recall", "Δ recall vs ours-f32", "QPS 1T", $"QPS {r.Threads}T", "QPS/CPU-s 1T", "1T / native", $"{r.Threads}T / native", "CPU 1T / native"];

    private static string[] DetailRow(IndexBenchResult r, IndexBenchSide s, IndexBenchRow row)
    {
        var f32 = r.Sides.FirstOrDefault(x => x.Library == "ours-f32")?.Rows.FirstOrDefault(x => x.Ef == row.Ef);
        var native = ReferenceSide(r)?.Rows.FirstOrDefault(x => x.Ef == row.Ef);
        return
        [
            s.Library, $"{row.Ef}", F(row.Recall, "F4"),
            s.Library.StartsWith("ours-", StringComparison.Ordinal) && f32 is not null ? F(row.Recall - f32.Recall, "+0.0000;-0.0000;0.0000") : "",
            F(row.Qps1, "N0"), F(row.QpsAll, "N0"), F(row.Qps1Cpu, "N0"),
            native is null ? "—" : F(row.Qps1 / native.Qps1, "F2"), native is null ? "—" : F(row.QpsAll / native.QpsAll, "F2"),
            native is null ? "—" : F(row.Qps1Cpu / native.Qps1Cpu, "F2"),
        ];
    }

    /// <summary>Appends the table as markdown; prints it as a drawn table on a terminal, as the same plain markdown when redirected.</summary>
    private static void Emit(StringBuilder md, string title, string[] columns, List<string[]> rows)
    {
        var text = new StringBuilder()
            .AppendLine("| " + string.Join(" | ", columns) + " |")
            .AppendLine("|" + string.Concat(Enumerable.Repeat("---:|", columns.Length)));
        foreach (var row in rows) text.AppendLine("| " + string.Join(" | ", row) + " |");
        md.Append(text).AppendLine();
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(title);
            Console.WriteLine(text);
            return;
        }
        var table = new Table().Title(Markup.Escape(title));
        foreach (string c in columns) table.AddColumn(Markup.Escape(c));
        foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
