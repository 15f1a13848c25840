namespace Retrieval.Train.Losses;

/// <summary>MFCont settings: margins on the cosine distance 1 - e_i.M_c, plus the mean-field regulariser weight.</summary>
public sealed record MeanFieldContrastiveSettings : ContrastiveFamilySettings, IMeanFieldSettings
{
    /// <inheritdoc/>
    public double MeanFieldWeight { get; init; }

    protected override string LossName => LossNames.MeanFieldContrastive;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
        [.. MarginParameters, LossParameter.MeanFieldWeight<MeanFieldContrastiveSettings>((s, v) => s with { MeanFieldWeight = v })];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new MeanFieldContrastiveLoss(numClasses, embeddingSize, this);
}
