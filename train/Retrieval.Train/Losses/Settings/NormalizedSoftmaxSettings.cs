namespace Retrieval.Train.Losses;

/// <summary>Normalized-softmax settings (PML default temperature 0.05).</summary>
public sealed record NormalizedSoftmaxSettings : LossSettings
{
    /// <summary>T: the logits are cosine / T (T in cosine units).</summary>
    public double TemperatureCosine { get; init; } = 0.05;

    protected override string LossName => LossNames.NormalizedSoftmax;

    private static readonly IReadOnlyList<LossParameter> AllParameters =
    [
        LossParameter.Of<NormalizedSoftmaxSettings>("temperature", "softmax temperature (cosine)", LossParameterRange.Positive,
            s => s.TemperatureCosine, (s, v) => s with { TemperatureCosine = v }),
    ];

    protected override IReadOnlyList<LossParameter> DeclaredParameters => AllParameters;

    public override MetricLoss Create(int numClasses, int embeddingSize) => new NormalizedSoftmaxLoss(numClasses, embeddingSize, this);
}
