using System.Globalization;
using System.Text;
using Retrieval.Core.IO;
using ScottPlot;
using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>Prints the index benchmark table and writes it as JSON, markdown and a recall-vs-QPS PNG per data set.</summary>
public static class IndexBenchReport
{
    /// <summary>Writes index-results.json, index-results.md and index-recall-qps-&lt;dataset&gt;.png into the folder and prints the tables.</summary>
    public static void Write(IReadOnlyList<IndexBenchResult> results, string folder)
    {
        var md = new StringBuilder();
        foreach (var r in results)
        {
            var table = new Table().Title($"{r.Dataset}: {r.Count:N0} x {r.Dimension}, {r.Queries} queries, {r.Metric}, M={r.M}, efC={r.EfConstruction}, k={r.K}, {r.Threads} threads");
            foreach (string c in Columns) table.AddColumn(c);
            md.AppendLine($"### {r.Dataset}: {r.Count:N0} x {r.Dimension}, {r.Queries} queries, {r.Metric}, M={r.M}, efConstruction={r.EfConstruction}, k={r.K}, {r.Threads} threads")
              .AppendLine()
              .AppendLine($"Build ({r.Threads} threads): ours {r.Ours.BuildSeconds:F1} s, hnswlib {r.Hnswlib.BuildSeconds:F1} s (ours/hnswlib time {r.Ours.BuildSeconds / r.Hnswlib.BuildSeconds:F2}).")
              .AppendLine()
              .AppendLine("| " + string.Join(" | ", Columns) + " |")
              .AppendLine("|" + string.Concat(Enumerable.Repeat("---:|", Columns.Length)));
            foreach (var (ours, theirs) in r.Ours.Rows.Zip(r.Hnswlib.Rows))
            {
                string[] cells =
                [
                    $"{ours.Ef}", F(ours.Recall, "F4"), F(theirs.Recall, "F4"), F(Math.Round(ours.Recall - theirs.Recall, 4), "+0.0000;-0.0000;0.0000"),
                    F(ours.Qps1, "N0"), F(theirs.Qps1, "N0"), F(ours.Qps1 / theirs.Qps1, "F2"),
                    F(ours.QpsAll, "N0"), F(theirs.QpsAll, "N0"), F(ours.QpsAll / theirs.QpsAll, "F2"),
                ];
                table.AddRow(cells);
                md.AppendLine("| " + string.Join(" | ", cells) + " |");
            }
            md.AppendLine();
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"build ({r.Threads} threads): ours {r.Ours.BuildSeconds:F1} s, hnswlib {r.Hnswlib.BuildSeconds:F1} s");
            Plot(r, Path.Combine(folder, $"index-recall-qps-{r.Dataset}.png"));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "index-results.md"), md.ToString());
        JsonFiles.Write(Path.Combine(folder, "index-results.json"), results);
        BenchLog.Step($"wrote {folder}/index-results.{{json,md}} and index-recall-qps-*.png");
    }

    private static readonly string[] Columns =
        ["ef", "recall ours", "recall hnswlib", "Δ recall", "QPS 1T ours", "QPS 1T hnswlib", "1T ours/hnswlib", "QPS all ours", "QPS all hnswlib", "all ours/hnswlib"];

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static void Plot(IndexBenchResult r, string path)
    {
        var plot = new Plot();
        void Line(IndexBenchSide side, Func<IndexBenchRow, double> qps, string label, LinePattern pattern)
        {
            var s = plot.Add.Scatter(side.Rows.Select(x => x.Recall).ToArray(), side.Rows.Select(qps).ToArray());
            s.LegendText = label;
            s.LinePattern = pattern;
        }
        Line(r.Ours, x => x.Qps1, "ours, 1 thread", LinePattern.Solid);
        Line(r.Hnswlib, x => x.Qps1, "hnswlib, 1 thread", LinePattern.Solid);
        Line(r.Ours, x => x.QpsAll, $"ours, {r.Threads} threads", LinePattern.Dashed);
        Line(r.Hnswlib, x => x.QpsAll, $"hnswlib, {r.Threads} threads", LinePattern.Dashed);
        plot.Title($"{r.Dataset} {r.Count:N0} x {r.Dimension}: recall@{r.K} vs queries/s (M={r.M}, efC={r.EfConstruction})");
        plot.XLabel($"recall@{r.K}");
        plot.YLabel("queries / second");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 560);
    }
}
