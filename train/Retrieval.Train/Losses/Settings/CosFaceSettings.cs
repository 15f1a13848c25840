namespace Retrieval.Train.Losses;

/// <summary>CosFace settings (PML defaults: margin 0.35, scale 64).</summary>
public sealed record CosFaceSettings : MarginSoftmaxSettings
{
    /// <summary>m, subtracted from the target class's cosine.</summary>
    public double MarginCosine { get; init; } = 0.35;

    protected override string LossName => LossNames.CosFace;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        LossParameter.Of<CosFaceSettings>("margin", "margin (cosine)", LossParameterRange.Finite, s => s.MarginCosine, (s, v) => s with { MarginCosine = v }),
        ScaleParameter,
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new CosFaceLoss(numClasses, embeddingSize, this);
}
