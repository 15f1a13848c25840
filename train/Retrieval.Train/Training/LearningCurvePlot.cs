using ScottPlot;
using Retrieval.Core.IO;

namespace Retrieval.Train.Training;

/// <summary>The learning-curve PNG: mean training loss (left axis) and validation MAP@R (right axis) per epoch.</summary>
public static class LearningCurvePlot
{
    public static void Save(string path, IReadOnlyList<EpochRecord> history, string title)
    {
        var plot = new Plot();
        var epochs = history.Select(r => (double)r.Epoch).ToArray();
        var loss = plot.Add.Scatter(epochs, history.Select(r => r.Loss).ToArray());
        loss.LegendText = "training loss";
        var map = plot.Add.Scatter(epochs, history.Select(r => r.Validation.MapAtR).ToArray());
        map.LegendText = "validation MAP@R";
        map.Axes.YAxis = plot.Axes.Right;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "MAP@R";
        plot.ShowLegend(Alignment.UpperCenter);
        var bytes = plot.GetImageBytes(800, 500, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
