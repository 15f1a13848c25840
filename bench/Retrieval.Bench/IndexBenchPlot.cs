using ScottPlot;
using SkiaSharp;

namespace Retrieval.Bench;

/// <summary>Recall@k against queries/s (log scale), one panel per data set, every library: solid 1 thread, dashed all threads.</summary>
public static class IndexBenchPlot
{
    private const int PanelWidth = 900, PanelHeight = 600;

    /// <summary>Writes one PNG per data set into the folder and, when given, all panels side by side into <paramref name="combined"/>.</summary>
    public static void Write(IReadOnlyList<IndexBenchResult> results, string folder, string? combined)
    {
        var panels = results.Select(r => (r, Panel(r))).ToList();
        foreach (var (r, png) in panels) Retrieval.Core.IO.AtomicFile.WriteAllBytes(Path.Combine(folder, $"index-recall-qps-{r.Dataset}.png"), png);
        if (combined is null || panels.Count == 0) return;
        using var surface = SKSurface.Create(new SKImageInfo(PanelWidth * panels.Count, PanelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var bitmap = SKBitmap.Decode(panels[i].Item2);
            surface.Canvas.DrawBitmap(bitmap, i * PanelWidth, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(combined))!);
        Retrieval.Core.IO.AtomicFile.WriteAllBytes(combined, data.ToArray());
        BenchLog.Step($"wrote {combined}");
    }

    private static byte[] Panel(IndexBenchResult r)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < r.Sides.Count; i++)
        {
            var side = r.Sides[i];
            var color = palette.GetColor(i);
            foreach (var (qps, pattern, label) in new (Func<IndexBenchRow, double>, LinePattern, string)[]
                     { (x => x.Qps1, LinePattern.Solid, "1 thread"), (x => x.QpsAll, LinePattern.Dashed, $"{r.Threads} threads") })
            {
                var line = plot.Add.Scatter(side.Rows.Select(x => x.Recall).ToArray(), side.Rows.Select(x => Math.Log10(qps(x))).ToArray());
                line.Color = color;
                line.LinePattern = pattern;
                line.LegendText = $"{side.Library}, {label}";
            }
        }
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"{Math.Pow(10, y):N0}",
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title($"{r.Dataset} ({r.Count:N0} x {r.Dimension}, {r.Metric}), M={r.M}, efC={r.EfConstruction}");
        plot.XLabel($"recall@{r.K}");
        plot.YLabel("queries / second (log)");
        plot.ShowLegend(Alignment.LowerLeft);
        return plot.GetImageBytes(PanelWidth, PanelHeight, ImageFormat.Png);
    }
}
