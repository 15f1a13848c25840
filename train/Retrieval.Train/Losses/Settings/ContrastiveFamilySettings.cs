namespace Retrieval.Train.Losses;

/// <summary>
/// The margins Contrastive and MFCont share: a positive pair costs [d - m_p]+, a negative pair [m_n - d]+, both in the
/// loss's distance d (Contrastive: Euclidean ||e_i - e_j||; MFCont: cosine distance 1 - e_i.M_c; both in [0, 2]
/// for unit vectors). Defaults are the paper's command line (PML's own defaults are 0 and 1).
/// </summary>
public abstract record ContrastiveFamilySettings : LossSettings
{
    /// <summary>m_p: positive distances below it cost nothing.</summary>
    public double PositiveMarginDistance { get; init; } = 0.02;

    /// <summary>m_n: negative distances above it cost nothing.</summary>
    public double NegativeMarginDistance { get; init; } = 0.3;

    /// <summary>pos-margin and neg-margin.</summary>
    protected static readonly IReadOnlyList<LossParameter> MarginParameters =
    [
        LossParameter.Of<ContrastiveFamilySettings>("pos-margin", "m_p, positive-pair margin (in the loss's distance)", LossParameterRange.Finite,
            s => s.PositiveMarginDistance, (s, v) => s with { PositiveMarginDistance = v }),
        LossParameter.Of<ContrastiveFamilySettings>("neg-margin", "m_n, negative-pair margin (in the loss's distance)", LossParameterRange.Finite,
            s => s.NegativeMarginDistance, (s, v) => s with { NegativeMarginDistance = v }),
    ];
}
