namespace Retrieval.Train.Losses;

/// <summary>ProxyNCA settings (the paper's softmax scale 32).</summary>
public sealed record ProxyNcaSettings : LossSettings
{
    /// <summary>s, the scale of the squared distances in the softmax.</summary>
    public double SoftmaxScale { get; init; } = 32;

    protected override string LossName => LossNames.ProxyNca;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        LossParameter.Of<ProxyNcaSettings>("scale", "softmax scale (per unit squared distance)", LossParameterRange.Positive, s => s.SoftmaxScale, (s, v) => s with { SoftmaxScale = v }),
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new ProxyNcaLoss(numClasses, embeddingSize, this);
}
