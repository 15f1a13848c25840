namespace Retrieval.Train.Losses;

/// <summary>Multi-similarity loss + miner (PML defaults alpha 2, beta 50, base 0.5, miner epsilon 0.1).</summary>
public sealed record MultiSimilaritySettings() : MultiSimilarityFamilySettings(2, 50, 0.5)
{
    /// <summary>The miner's epsilon: pairs within this cosine of the anchor's hardest opposite pair are kept.</summary>
    public double MinerMarginCosine { get; init; } = 0.1;

    protected override string LossName => LossNames.MultiSimilarity;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        .. ScaleParameters,
        LossParameter.Of<MultiSimilaritySettings>("epsilon", "miner margin (cosine)", LossParameterRange.NonNegative,
            s => s.MinerMarginCosine, (s, v) => s with { MinerMarginCosine = v }),
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new MultiSimilarityLoss(numClasses, this);
}
