namespace Retrieval.Train.Losses;

/// <summary>MFCWMS settings (the author's official runs: alpha 0.01, beta 80, lambda 0.8, no regulariser).</summary>
public sealed record MeanFieldClassWiseMultiSimilaritySettings() : MultiSimilarityFamilySettings(0.01, 80, 0.8), IMeanFieldSettings
{
    /// <inheritdoc/>
    public double MeanFieldWeight { get; init; }

    protected override string LossName => LossNames.MeanFieldClassWiseMultiSimilarity;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
        [.. ScaleParameters, LossParameter.MeanFieldWeight<MeanFieldClassWiseMultiSimilaritySettings>((s, v) => s with { MeanFieldWeight = v })];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new MeanFieldClassWiseMultiSimilarityLoss(numClasses, embeddingSize, this);
}
