namespace Retrieval.Train.Losses;

/// <summary>The logit scale ArcFace and CosFace share (PML default 64); each adds its own margin.</summary>
public abstract record MarginSoftmaxSettings : LossSettings
{
    /// <summary>s, the multiplier of the (margin-adjusted) cosine logits.</summary>
    public double Scale { get; init; } = 64;

    /// <summary>The scale parameter.</summary>
    protected static readonly LossParameter ScaleParameter =
        LossParameter.Of<MarginSoftmaxSettings>("scale", "logit scale (per unit cosine)", LossParameterRange.Positive, s => s.Scale, (s, v) => s with { Scale = v });
}
