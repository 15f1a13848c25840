using System.Globalization;
using System.Text;
using Retrieval.Study.Results;

namespace Retrieval.Study.Report;

/// <summary>The diagnosis section: one-factor sweeps of the mean-field losses, validation MAP@R and best epochs per variant.</summary>
public static class DiagnosisSection
{
    public static void Append(StringBuilder md, DiagnosisResult? d)
    {
        md.AppendLine("### Why the mean-field losses score as they do: one-factor sweeps (validation only)");
        md.AppendLine();
        if (d is null || d.Rows.Count == 0) { md.AppendLine("Not run yet (`make study PART=diagnose`)."); md.AppendLine(); return; }
        md.AppendLine("From the setting each search chose (marked), one factor at a time is changed and the variant is cross-validated like a " +
                      "search trial (the same 4 folds and seed): the mean-field learning rate (as a ratio to the head's), the batch composition " +
                      "(images per class at a constant batch size) and, for MFCont, the negative margin. Validation MAP@R in %, mean over the folds.");
        md.AppendLine();
        var table = new MarkdownTable("loss", "factor", "value", "validation MAP@R", "per fold", "best epochs");
        table.LeftAligned.Add(1);
        foreach (var r in d.Rows)
            table.Add(ClaimsTable.Name(r.Loss), r.Factor, r.IsChosen ? $"**{r.Value}**" : r.Value, ModernSection.Pct(r.Score.MeanValidationMapAtR),
                string.Join(" / ", r.Score.FoldValidationMapAtR.Select(ModernSection.Pct)), string.Join(" ", r.Score.BestEpochs.Select(e => e.ToString(CultureInfo.InvariantCulture))));
        md.Append(table);
        md.AppendLine();
    }
}
