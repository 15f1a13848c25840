using Retrieval.Core.IO;
using ScottPlot;

namespace Retrieval.Cli.Eval;

/// <summary>The Recall@K curve PNG of an evaluation: Recall@K for K = 1..N, exact search and the HNSW index on one plot.</summary>
public static class RecallCurvePlot
{
    /// <summary>Plots both curves (index = K − 1) and writes the PNG atomically.</summary>
    public static void Save(string path, IReadOnlyList<double> exact, IReadOnlyList<double> hnsw, string title)
    {
        var plot = new Plot();
        var ks = Enumerable.Range(1, exact.Count).Select(k => (double)k).ToArray();
        var exactLine = plot.Add.Scatter(ks, exact.ToArray());
        exactLine.LegendText = "exact";
        exactLine.LineWidth = 3;
        exactLine.MarkerSize = 0;
        var hnswLine = plot.Add.Scatter(ks, hnsw.ToArray());
        hnswLine.LegendText = "HNSW";
        hnswLine.LinePattern = LinePattern.Dashed;
        hnswLine.LineWidth = 2;
        hnswLine.MarkerSize = 0;
        plot.Title(title);
        plot.XLabel("K");
        plot.YLabel("Recall@K");
        plot.Axes.SetLimits(1, Math.Max(2, ks.Length), 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(800, 500, ImageFormat.Png));
    }
}
