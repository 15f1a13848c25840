using System.Globalization;
using System.Text;
using Retrieval.Study.Results;
using Retrieval.Study.Statistics;

namespace Retrieval.Study.Report;

/// <summary>The traditional-protocol section: setting, per-loss test MAP@R at the best validation epoch, the epoch, the learning curves.</summary>
public static class TraditionalSection
{
    public static void Append(StringBuilder md, TraditionalResult? t, string plot)
    {
        md.AppendLine("## Traditional protocol: full fine-tuning with the paper's defaults");
        md.AppendLine();
        if (t is null || t.Runs.Count == 0) { md.AppendLine("Not run yet (`make study PART=traditional`)."); md.AppendLine(); return; }
        md.AppendLine($"Data: {t.Dataset}. Setting: {t.Settings}. Each run holds out 15 % of the training classes for validation (class-disjoint), scores them after every " +
                      "epoch, and reports the test split at the best validation epoch (the test split chooses nothing).");
        md.AppendLine();
        var table = new MarkdownTable("loss", "seeds", "test MAP@R", "test P@1", "test R-Prec.", "best epoch", "best epoch per seed", "epochs run", "untrained test MAP@R", "train time");
        foreach (var g in t.Runs.GroupBy(r => r.Loss))
        {
            var runs = g.OrderBy(r => r.Seed).ToList();
            table.Add(ClaimsTable.Name(g.Key), runs.Count.ToString(CultureInfo.InvariantCulture),
                "**" + Interval.Of(runs.Select(r => r.Test.MapAtR).ToList()).Format(100, 2) + "**",
                Interval.Of(runs.Select(r => r.Test.PrecisionAt1).ToList()).Format(100, 2),
                Interval.Of(runs.Select(r => r.Test.RPrecision).ToList()).Format(100, 2),
                Interval.Of(runs.Select(r => (double)r.BestEpoch).ToList()).Format(1, 1),
                string.Join(" ", runs.Select(r => r.BestEpoch)), string.Join(" ", runs.Select(r => r.EpochsRun).Distinct()),
                ModernSection.Pct(runs.Average(r => r.UntrainedTestMapAtR)), StudyReport.Minutes(runs.Average(r => r.TrainSeconds)));
        }
        md.AppendLine("Test accuracies in % (mean ± 95% t-interval over seeds).");
        md.AppendLine();
        md.Append(table);
        md.AppendLine();
        md.AppendLine($"![traditional protocol: validation MAP@R per epoch]({plot})");
        md.AppendLine();
    }
}
