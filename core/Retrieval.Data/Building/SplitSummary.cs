using System.Text;
using Retrieval.Core.Data;

namespace Retrieval.Data.Building;

/// <summary>Per-split image and class counts as a Markdown table and as plain lines.</summary>
public static class SplitSummary
{
    public static string Markdown(RetrievalDataset dataset)
    {
        var text = new StringBuilder("| split | images | classes |\n|---|---:|---:|\n");
        foreach (var (split, images, classes) in Rows(dataset))
            text.Append($"| {split} | {images} | {classes} |\n");
        return text.ToString();
    }

    public static IEnumerable<string> Lines(RetrievalDataset dataset) =>
        Rows(dataset).Select(r => $"{r.Split,-8} {r.Images,7} images {r.Classes,6} classes");

    private static IEnumerable<(string Split, int Images, int Classes)> Rows(RetrievalDataset dataset)
    {
        var images = dataset.CountsBySplit();
        var classes = dataset.ClassCountsBySplit();
        foreach (var split in images.Keys)
            yield return (split.ToString().ToLowerInvariant(), images[split], classes[split]);
        yield return ("total", dataset.Items.Count, dataset.Items.Select(i => i.Label).Distinct().Count());
    }
}
