using System.Text;
using Retrieval.Study.Results;
using Retrieval.Study.Statistics;

namespace Retrieval.Study.Report;

/// <summary>The embedding-dimension section: separated test MAP@R per loss and dimension, and the plot.</summary>
public static class DimensionSection
{
    public static void Append(StringBuilder md, DimensionResult? d, string plot)
    {
        md.AppendLine("## Embedding dimension");
        md.AppendLine();
        if (d is null || d.Losses.Count == 0) { md.AppendLine("Not run yet (`make study PART=dims`)."); md.AppendLine(); return; }
        var reps = d.Losses[0].Points.Count > 0 ? d.Losses[0].Points[0].Repetitions.Count : 0;
        md.AppendLine($"Frozen features ({d.Extractor}); each loss keeps the settings its modern search chose and is trained at every dimension, " +
                      $"{reps} repetitions of the fold models each. Score: separated test MAP@R in % (one fold model = one embedding of that size), mean ± 95% t-interval.");
        md.AppendLine();
        var table = new MarkdownTable(["loss", .. d.Dimensions.Select(x => $"{x}-d")]);
        foreach (var s in d.Losses)
            table.Add([ClaimsTable.Name(s.Loss), .. d.Dimensions.Select(x => s.Points.FirstOrDefault(p => p.Dimension == x) is { } p
                ? Interval.Of(p.Repetitions.Select(r => r.Separated.MapAtR).ToList()).Format(100, 2) : "-")]);
        md.Append(table);
        md.AppendLine();
        md.AppendLine($"![embedding dimension sweep]({plot})");
        md.AppendLine();
    }
}
