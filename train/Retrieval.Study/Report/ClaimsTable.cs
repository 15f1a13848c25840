using System.Globalization;
using Retrieval.Study.Results;
using Retrieval.Study.Statistics;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Report;

/// <summary>
/// The paper's claims, each measured by a paired comparison (the same seeds and folds on both sides) and read from its
/// 95% t-interval. Modern-protocol numbers are concatenated test MAP@R; traditional ones test MAP@R at the best
/// validation epoch. Where a part has not run, the claim says so.
/// </summary>
public static class ClaimsTable
{
    private static readonly (string MeanField, string Origin)[] Pairs =
        [(LossNames.MeanFieldContrastive, LossNames.Contrastive), (LossNames.MeanFieldClassWiseMultiSimilarity, LossNames.ClassWiseMultiSimilarity)];

    private static readonly string[] MeanFieldLosses = [LossNames.MeanFieldContrastive, LossNames.MeanFieldClassWiseMultiSimilarity];

    public static IReadOnlyList<Claim> Build(ModernResult? modern, TraditionalResult? traditional, DimensionResult? dims)
    {
        var claims = new List<Claim>();
        foreach (var (mf, origin) in Pairs)
        {
            var statement = $"{Name(mf)} beats its pair-based origin {Name(origin)}";
            claims.Add(Compare($"{statement} (modern, concatenated MAP@R)", Concatenated(modern, mf), Concatenated(modern, origin), "modern"));
            claims.Add(Compare($"{statement} (traditional, test MAP@R)", Traditional(traditional, mf, r => r.Test.MapAtR), Traditional(traditional, origin, r => r.Test.MapAtR), "traditional"));
        }
        foreach (var mf in MeanFieldLosses) claims.Add(BeatsBaselines(modern, mf));
        foreach (var mf in MeanFieldLosses)
        {
            claims.Add(Compare($"{Name(mf)} converges faster than ProxyAnchor (traditional: ProxyAnchor's best validation epoch minus {Name(mf)}'s)",
                Traditional(traditional, LossNames.ProxyAnchor, r => r.BestEpoch), Traditional(traditional, mf, r => r.BestEpoch), "traditional", epochs: true));
            claims.Add(Compare($"{Name(mf)} learns faster than ProxyAnchor (traditional: validation MAP@R after epoch 1)",
                Traditional(traditional, mf, r => r.ValidationCurve.Count > 0 ? r.ValidationCurve[0] : double.NaN),
                Traditional(traditional, LossNames.ProxyAnchor, r => r.ValidationCurve.Count > 0 ? r.ValidationCurve[0] : double.NaN), "traditional"));
        }
        foreach (var mf in MeanFieldLosses) claims.Add(SmallDimensions(dims, mf));
        foreach (var mf in MeanFieldLosses)
        {
            var study = modern?.Losses.FirstOrDefault(l => l.Loss == mf);
            var statement = string.Create(CultureInfo.InvariantCulture,
                $"the regulariser changes {Name(mf)} by nothing significant (modern, lambda_mf = {modern?.RegulariserWeight ?? 1:G3} minus 0, concatenated MAP@R)");
            if (study?.WithRegulariser is not { } on) { claims.Add(new Claim(statement, "-", Verdict.NotMeasured("modern"))); continue; }
            var d = Interval.OfDifferences(on.Select(r => r.Concatenated.MapAtR).ToList(), study.Repetitions.Select(r => r.Concatenated.MapAtR).ToList());
            claims.Add(new Claim(statement, Verdict.Points(d), Verdict.NoDifference(d)));
        }
        return claims;
    }

    /// <summary>The mean-field loss against the strongest baseline (the non-mean-field loss with the highest mean concatenated test MAP@R).</summary>
    private static Claim BeatsBaselines(ModernResult? modern, string mf)
    {
        var own = Concatenated(modern, mf);
        var baselines = modern?.Losses.Where(l => !MeanFieldLosses.Contains(l.Loss)).ToList() ?? [];
        // The statement names the baselines that ran, so a partial run cannot read as "beats all ten".
        var statement = baselines.Count == 0
            ? $"{Name(mf)} beats the baselines on MAP@R (modern, concatenated, against the strongest baseline)"
            : $"{Name(mf)} beats the baselines on MAP@R (modern, concatenated, against the strongest of the {baselines.Count} baselines run: " +
              $"{string.Join(", ", baselines.Select(l => Name(l.Loss)))})";
        if (own is null || baselines.Count == 0) return new Claim(statement, "-", Verdict.NotMeasured("modern"));
        var strongest = baselines.MaxBy(l => l.Repetitions.Average(r => r.Concatenated.MapAtR))!;
        var d = Interval.OfDifferences(own, strongest.Repetitions.Select(r => r.Concatenated.MapAtR).ToList());
        return new Claim(statement, $"{Name(mf)} − {Name(strongest.Loss)}: {Verdict.Points(d)}", Verdict.Better(d));
    }

    /// <summary>(MF − ProxyAnchor) at the smallest dimension minus (MF − ProxyAnchor) at the largest, paired per repetition.</summary>
    private static Claim SmallDimensions(DimensionResult? dims, string mf)
    {
        var statement = $"{Name(mf)} gains most over ProxyAnchor at small dimensions (sweep: its lead at the smallest minus at the largest dimension, separated MAP@R)";
        var own = dims?.Losses.FirstOrDefault(l => l.Loss == mf);
        var proxy = dims?.Losses.FirstOrDefault(l => l.Loss == LossNames.ProxyAnchor);
        if (own is null || proxy is null || own.Points.Count < 2) return new Claim(statement, "-", Verdict.NotMeasured("dims"));
        List<double> Lead(int i) => own.Points[i].Repetitions.Zip(proxy.Points[i].Repetitions, (a, b) => a.Separated.MapAtR - b.Separated.MapAtR).ToList();
        var small = Lead(0);
        var large = Lead(own.Points.Count - 1);
        var d = Interval.OfDifferences(small, large);
        var measured = string.Create(CultureInfo.InvariantCulture,
            $"lead at {own.Points[0].Dimension}-d {Interval.Of(small).Format(100, 2)} pts, at {own.Points[^1].Dimension}-d {Interval.Of(large).Format(100, 2)} pts; difference {Verdict.Points(d)}");
        return new Claim(statement, measured, Verdict.SmallDimensions(d, Interval.Of(small), own.Points[0].Dimension));
    }

    private static Claim Compare(string statement, IReadOnlyList<double>? a, IReadOnlyList<double>? b, string part, bool epochs = false)
    {
        if (a is null || b is null || a.Count != b.Count || a.Count < 2 || a.Concat(b).Any(double.IsNaN)) return new Claim(statement, "-", Verdict.NotMeasured(part));
        var d = Interval.OfDifferences(a, b);
        var measured = epochs
            ? $"{(d.Mean >= 0 ? "+" : "")}{d.Format(1, 2)} epochs (n = {d.Count}, paired)"
            : Verdict.Points(d);
        return new Claim(statement, measured, Verdict.Better(d));
    }

    private static IReadOnlyList<double>? Concatenated(ModernResult? modern, string loss) =>
        modern?.Losses.FirstOrDefault(l => l.Loss == loss)?.Repetitions.Select(r => r.Concatenated.MapAtR).ToList();

    /// <summary>The values of <paramref name="loss"/>'s runs, ordered by seed (so two losses pair by seed).</summary>
    private static IReadOnlyList<double>? Traditional(TraditionalResult? traditional, string loss, Func<TraditionalRun, double> value)
    {
        var runs = traditional?.Runs.Where(r => r.Loss == loss).OrderBy(r => r.Seed).ToList();
        return runs is null || runs.Count == 0 ? null : runs.Select(value).ToList();
    }

    /// <summary>The display name of a loss.</summary>
    public static string Name(string loss) => loss switch
    {
        LossNames.MeanFieldClassWiseMultiSimilarity => "MFCWMS",
        LossNames.MeanFieldContrastive => "MFCont",
        LossNames.ClassWiseMultiSimilarity => "CWMS",
        LossNames.Contrastive => "Contrastive",
        LossNames.ProxyAnchor => "ProxyAnchor",
        LossNames.ProxyNca => "ProxyNCA",
        LossNames.MultiSimilarity => "MS",
        LossNames.ArcFace => "ArcFace",
        LossNames.CosFace => "CosFace",
        LossNames.NormalizedSoftmax => "NormSoftmax",
        _ => loss,
    };
}
