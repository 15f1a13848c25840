namespace Retrieval.Train.Losses;

/// <summary>Proxy-Anchor settings (PML defaults: delta 0.1, alpha 32).</summary>
public sealed record ProxyAnchorSettings : LossSettings
{
    /// <summary>delta, the margin on the cosine to a proxy.</summary>
    public double MarginCosine { get; init; } = 0.1;

    /// <summary>alpha, the scale of the cosine.</summary>
    public double Scale { get; init; } = 32;

    protected override string LossName => LossNames.ProxyAnchor;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        LossParameter.Of<ProxyAnchorSettings>("delta", "delta, margin (cosine)", LossParameterRange.Finite, s => s.MarginCosine, (s, v) => s with { MarginCosine = v }),
        LossParameter.Of<ProxyAnchorSettings>("alpha", "alpha, scale (per unit cosine)", LossParameterRange.Positive, s => s.Scale, (s, v) => s with { Scale = v }),
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new ProxyAnchorLoss(numClasses, embeddingSize, this);
}
