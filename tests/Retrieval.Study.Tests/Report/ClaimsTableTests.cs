using Retrieval.Study.Heads;
using Retrieval.Study.Report;
using Retrieval.Study.Results;
using Retrieval.Study.Search;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Report;

public class ClaimsTableTests
{
    private static RepetitionScore Score(int seed, double mapAtR) =>
        new(seed, new MetricTriple(mapAtR, mapAtR, mapAtR), new MetricTriple(mapAtR, mapAtR, mapAtR), [mapAtR], [1]);

    /// <summary>A sweep at 16 and 512 dimensions: per loss, the MAP@R of three repetitions at each (small noise per seed).</summary>
    private static DimensionResult Sweep(double proxySmall, double proxyLarge, double mfSmall, double mfLarge)
    {
        static DimensionSeries Series(string loss, double small, double large, double noise) => new(loss, "settings",
        [
            new DimensionPoint(16, [Score(1, small), Score(2, small + noise), Score(3, small - noise)]),
            new DimensionPoint(512, [Score(1, large), Score(2, large - noise), Score(3, large + noise)]),
        ]);
        return new DimensionResult("emoji", "features", [16, 512],
            [Series(LossNames.ProxyAnchor, proxySmall, proxyLarge, 0), Series(LossNames.MeanFieldClassWiseMultiSimilarity, mfSmall, mfLarge, 0.0002)]);
    }

    private static Claim SmallDimensionClaim(DimensionResult dims) =>
        ClaimsTable.Build(null, null, dims).Single(c => c.Statement.StartsWith("MFCWMS gains most over ProxyAnchor at small dimensions", StringComparison.Ordinal));

    [Fact]
    public void A_narrowing_gap_without_a_lead_holds_only_in_part()
    {
        // MFCWMS trails ProxyAnchor by 1 pt at 512-d and by 0.1 pt at 16-d: the gap narrows, but it is no lead.
        var claim = SmallDimensionClaim(Sweep(proxySmall: 0.050, proxyLarge: 0.200, mfSmall: 0.049, mfLarge: 0.190));
        Assert.StartsWith("**holds only in part**", claim.Verdict);
        Assert.Contains("significantly behind at 16-d", claim.Verdict);
    }

    [Fact]
    public void A_lead_at_the_smallest_dimension_that_shrinks_with_size_holds()
    {
        var claim = SmallDimensionClaim(Sweep(proxySmall: 0.050, proxyLarge: 0.200, mfSmall: 0.060, mfLarge: 0.200));
        Assert.StartsWith("**holds** (ahead at 16-d", claim.Verdict);
    }

    [Fact]
    public void A_lead_that_grows_with_size_does_not_hold()
    {
        var claim = SmallDimensionClaim(Sweep(proxySmall: 0.050, proxyLarge: 0.200, mfSmall: 0.050, mfLarge: 0.220));
        Assert.StartsWith("**does not hold**", claim.Verdict);
    }

    [Fact]
    public void Claims_of_parts_that_did_not_run_name_the_command_that_measures_them()
    {
        var claims = ClaimsTable.Build(null, null, null);
        Assert.NotEmpty(claims);
        Assert.All(claims, c => Assert.Matches(@"^not measured in this run \(`make study PART=(modern|traditional|dims)`\)$", c.Verdict));
        Assert.Contains(claims, c => c.Statement.Contains("(traditional", StringComparison.Ordinal) && c.Verdict.Contains("PART=traditional", StringComparison.Ordinal));
        Assert.Contains(claims, c => c.Statement.Contains("small dimensions", StringComparison.Ordinal) && c.Verdict.Contains("PART=dims", StringComparison.Ordinal));
    }

    /// <summary>A modern result of the given losses, each with three repetitions at its concatenated MAP@R (+-0.001 per seed).</summary>
    private static ModernResult Modern(params (string Loss, double MapAtR)[] losses) =>
        new("emoji", "features", 4, 128, 2, new HeadSchedule(), 1, 100, 10, 10, 10, new MetricTriple(0.1, 0.1, 0.1),
            losses.Select(l => new LossStudy(l.Loss, false, [], new Trial(0, LossFactory.Defaults(l.Loss), 1e-3, 100),
                [Score(101, l.MapAtR), Score(102, l.MapAtR + 0.001), Score(103, l.MapAtR - 0.001)], null)).ToList());

    [Fact]
    public void The_baseline_claim_names_the_baselines_that_ran_and_compares_with_the_strongest()
    {
        var modern = Modern((LossNames.MeanFieldContrastive, 0.30), (LossNames.Contrastive, 0.20), (LossNames.ProxyAnchor, 0.25));
        var claim = ClaimsTable.Build(modern, null, null).Single(c => c.Statement.StartsWith("MFCont beats the baselines", StringComparison.Ordinal));
        Assert.Contains("the strongest of the 2 baselines run: Contrastive, ProxyAnchor", claim.Statement);
        Assert.StartsWith("MFCont − ProxyAnchor: +5.00", claim.Measurement);
        Assert.Equal("**holds**", claim.Verdict);
    }
}
