namespace Retrieval.Train.Losses;

/// <summary>
/// The scales and offset MS, CWMS and MFCWMS share: a positive similarity s costs through exp(-alpha (s - lambda)),
/// a negative one through exp(beta (s - lambda)), each term divided by its scale. lambda is a cosine similarity
/// (the author's "mrg", PML's "base"); alpha and beta are multipliers of it.
/// </summary>
public abstract record MultiSimilarityFamilySettings : LossSettings
{
    protected MultiSimilarityFamilySettings(double positiveScale, double negativeScale, double offsetCosine) =>
        (PositiveScale, NegativeScale, OffsetCosine) = (positiveScale, negativeScale, offsetCosine);

    /// <summary>alpha, the positive-term scale.</summary>
    public double PositiveScale { get; init; }

    /// <summary>beta, the negative-term scale.</summary>
    public double NegativeScale { get; init; }

    /// <summary>lambda, the similarity offset (cosine).</summary>
    public double OffsetCosine { get; init; }

    /// <summary>alpha, beta and lambda.</summary>
    protected static readonly IReadOnlyList<LossParameter> ScaleParameters =
    [
        LossParameter.Of<MultiSimilarityFamilySettings>("alpha", "alpha, positive-term scale (per unit cosine)", LossParameterRange.Positive,
            s => s.PositiveScale, (s, v) => s with { PositiveScale = v }),
        LossParameter.Of<MultiSimilarityFamilySettings>("beta", "beta, negative-term scale (per unit cosine)", LossParameterRange.Positive,
            s => s.NegativeScale, (s, v) => s with { NegativeScale = v }),
        LossParameter.Of<MultiSimilarityFamilySettings>("lambda", "lambda, similarity offset (cosine; PML's base)", LossParameterRange.Finite,
            s => s.OffsetCosine, (s, v) => s with { OffsetCosine = v }),
    ];
}
