using System.Globalization;
using Retrieval.Study.Heads;
using Retrieval.Study.Results;
using Retrieval.Study.Search;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Parts;

/// <summary>
/// Why a mean-field loss wins or loses here: starting from the setting its search chose, one factor at a time is
/// changed — the mean-field learning-rate ratio, the batch composition (images per class at a constant batch size),
/// for MFCont the negative margin, and the training budget (more epochs, also for the pair-based origins, to see
/// whether a gap is one of speed) — and each variant is cross-validated like a search trial (validation only, the
/// search seed). The chosen setting itself is the reference row (cached from the search).
/// </summary>
public sealed class DiagnosisPart(StudyContext context)
{
    private static readonly double[] Ratios = [1, 10, 100, 1000, 10000];
    private static readonly int[] ImagesPerClass = [2, 4, 8];
    private static readonly double[] NegativeMargins = [0.3, 0.6, 1.0, 1.3];
    private const int LongerBudgetFactor = 2;

    public DiagnosisResult Run()
    {
        var o = context.Options;
        var modern = new ModernPart(context);
        var rows = new List<DiagnosisRow>();
        var meanField = new[] { LossNames.MeanFieldContrastive, LossNames.MeanFieldClassWiseMultiSimilarity };
        var origins = new[] { LossNames.Contrastive, LossNames.ClassWiseMultiSimilarity };
        foreach (var loss in meanField.Concat(origins).Where(o.Losses.Contains))
        {
            var (best, _, hasParameters) = modern.Search(loss);
            var batch = o.Head.ClassesPerBatch * o.Head.ImagesPerClass;
            void Add(string factor, double value, Trial trial, HeadSchedule schedule, bool chosen)
            {
                var text = value.ToString("G4", CultureInfo.InvariantCulture);
                var score = modern.Validate(trial, schedule, trial.Describe(hasParameters), $"diagnose {loss} {factor} {text}");
                rows.Add(new DiagnosisRow(loss, factor, text, chosen, score));
                context.Files.Save(context.Files.Diagnosis, new DiagnosisResult(context.Features.DatasetName, context.Features.Extractor, rows));
            }
            var longer = o.Head with { MaxEpochs = LongerBudgetFactor * o.Head.MaxEpochs, MinEpochs = LongerBudgetFactor * o.Head.MinEpochs };
            Add("max epochs", o.Head.MaxEpochs, best, o.Head, true);
            Add("max epochs", longer.MaxEpochs, best, longer, false);
            if (!meanField.Contains(loss)) continue;
            foreach (var r in Ratios.Append(best.LossLearningRateRatio).Distinct().Order())
                Add("mean-field lr ratio", r, best with { LossLearningRateRatio = r }, o.Head, r == best.LossLearningRateRatio);
            foreach (var m in ImagesPerClass.Where(m => batch % m == 0 && batch / m >= 2))
                Add("images per class (batch " + batch + ")", m, best, o.Head with { ImagesPerClass = m, ClassesPerBatch = batch / m }, m == o.Head.ImagesPerClass);
            if (best.Loss is MeanFieldContrastiveSettings mfc)
                foreach (var n in NegativeMargins.Append(mfc.NegativeMarginDistance).Distinct().Order())
                    Add("negative margin", n, best with { Loss = best.Loss.With([new("neg-margin", n)]) }, o.Head, n == mfc.NegativeMarginDistance);
        }
        var result = new DiagnosisResult(context.Features.DatasetName, context.Features.Extractor, rows);
        context.Files.Save(context.Files.Diagnosis, result);
        return result;
    }
}
