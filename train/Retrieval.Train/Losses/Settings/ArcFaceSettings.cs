namespace Retrieval.Train.Losses;

/// <summary>ArcFace settings (PML defaults: margin 28.6 degrees, scale 64).</summary>
public sealed record ArcFaceSettings : MarginSoftmaxSettings
{
    /// <summary>m, the additive angular margin on the target class.</summary>
    public double MarginDegrees { get; init; } = 28.6;

    protected override string LossName => LossNames.ArcFace;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        LossParameter.Of<ArcFaceSettings>("margin-degrees", "angular margin (degrees)", LossParameterRange.Finite, s => s.MarginDegrees, (s, v) => s with { MarginDegrees = v }),
        ScaleParameter,
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new ArcFaceLoss(numClasses, embeddingSize, this);
}
