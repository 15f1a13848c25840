using Retrieval.Core.IO;
using Retrieval.Study.Results;
using Retrieval.Study.Statistics;
using ScottPlot;

namespace Retrieval.Study.Report;

/// <summary>The report's pictures (PNG, written atomically): modern MAP@R per loss, traditional learning curves, the dimension sweep.</summary>
public static class StudyPlots
{
    private const int Width = 1000;
    private const int Height = 560;

    /// <summary>Separated and concatenated test MAP@R of every loss, bars with their 95% intervals.</summary>
    public static void Modern(string path, ModernResult modern)
    {
        var plot = new Plot();
        var losses = modern.Losses;
        var bars = new List<Bar>();
        for (var i = 0; i < losses.Count; i++)
        {
            var separated = Interval.Of(losses[i].Repetitions.Select(r => r.Separated.MapAtR).ToList());
            var concatenated = Interval.Of(losses[i].Repetitions.Select(r => r.Concatenated.MapAtR).ToList());
            bars.Add(new Bar { Position = 3 * i, Value = separated.Mean, Error = Finite(separated.HalfWidth), FillColor = Colors.SteelBlue });
            bars.Add(new Bar { Position = 3 * i + 1, Value = concatenated.Mean, Error = Finite(concatenated.HalfWidth), FillColor = Colors.DarkOrange });
        }
        plot.Add.Bars(bars);
        var raw = plot.Add.HorizontalLine(modern.RawFeatures.MapAtR);
        raw.LinePattern = LinePattern.Dashed;
        raw.LegendText = "raw backbone features";
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"separated ({modern.EmbeddingSize}-d)", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"concatenated ({modern.Folds} x {modern.EmbeddingSize}-d)", FillColor = Colors.DarkOrange });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Bottom.SetTicks(losses.Select((_, i) => 3.0 * i + 0.5).ToArray(), losses.Select(l => ClaimsTable.Name(l.Loss)).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Modern protocol (frozen features) on {modern.Dataset}: test MAP@R, mean and 95% CI over {(losses.Count > 0 ? losses[0].Repetitions.Count : 0)} repetitions");
        plot.YLabel("test MAP@R");
        Save(plot, path);
    }

    /// <summary>Validation MAP@R per epoch: every seed's curve (thin) and their mean (thick), one colour per loss.</summary>
    public static void LearningCurves(string path, TraditionalResult traditional)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var maxEpochs = 0;
        foreach (var (group, index) in traditional.Runs.GroupBy(r => r.Loss).Select((g, i) => (g, i)))
        {
            var color = palette.GetColor(index);
            foreach (var run in group)
            {
                var seed = plot.Add.Scatter(Enumerable.Range(1, run.ValidationCurve.Count).Select(e => (double)e).ToArray(), run.ValidationCurve.ToArray());
                (seed.Color, seed.LineWidth, seed.MarkerSize) = (color.WithAlpha(0.45), 1, 3);
            }
            var epochs = group.Min(r => r.ValidationCurve.Count);
            maxEpochs = Math.Max(maxEpochs, group.Max(r => r.ValidationCurve.Count));
            if (epochs == 0) continue;
            var mean = plot.Add.Scatter(Enumerable.Range(1, epochs).Select(e => (double)e).ToArray(),
                Enumerable.Range(0, epochs).Select(e => group.Average(r => r.ValidationCurve[e])).ToArray());
            (mean.Color, mean.LineWidth, mean.MarkerSize) = (color, 3, 7);
            mean.LegendText = $"{ClaimsTable.Name(group.Key)} (mean of {group.Count()} seeds)";
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(1, maxEpochs).Select(e => (double)e).ToArray(), Enumerable.Range(1, maxEpochs).Select(e => e.ToString()).ToArray());
        plot.ShowLegend(Alignment.LowerRight);
        plot.Title($"Traditional protocol (fine-tuning) on {traditional.Dataset}: validation MAP@R per epoch, each seed and the mean");
        plot.XLabel("epoch");
        plot.YLabel("validation MAP@R");
        Save(plot, path);
    }

    /// <summary>Separated test MAP@R against the embedding dimension (log2 axis), one line per loss with 95% intervals.</summary>
    public static void Dimensions(string path, DimensionResult dims)
    {
        var plot = new Plot();
        foreach (var series in dims.Losses)
        {
            var xs = series.Points.Select(p => Math.Log2(p.Dimension)).ToArray();
            var intervals = series.Points.Select(p => Interval.Of(p.Repetitions.Select(r => r.Separated.MapAtR).ToList())).ToArray();
            var line = plot.Add.Scatter(xs, intervals.Select(i => i.Mean).ToArray());
            line.LegendText = ClaimsTable.Name(series.Loss);
            var errors = plot.Add.ErrorBar(xs, intervals.Select(i => i.Mean).ToArray(), intervals.Select(i => Finite(i.HalfWidth)).ToArray());
            errors.Color = line.Color;
        }
        plot.Axes.Bottom.SetTicks(dims.Dimensions.Select(d => Math.Log2(d)).ToArray(), dims.Dimensions.Select(d => d.ToString()).ToArray());
        plot.ShowLegend(Alignment.LowerRight);
        plot.Title($"Embedding dimension (frozen features) on {dims.Dataset}: test MAP@R of one fold model, 95% CI");
        plot.XLabel("embedding dimension");
        plot.YLabel("test MAP@R (separated)");
        Save(plot, path);
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static void Save(Plot plot, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(Width, Height, ImageFormat.Png));
    }
}
