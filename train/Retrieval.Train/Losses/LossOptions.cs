namespace Retrieval.Train.Losses;

/// <summary>
/// Hyper-parameter overrides for <see cref="LossFactory"/>, by name (alpha, beta, margin, pos-margin, neg-margin,
/// mf-weight, scale, temperature, epsilon); names not given take the loss's paper default.
/// </summary>
public sealed class LossOptions
{
    public LossOptions(IReadOnlyDictionary<string, double>? values = null)
    {
        Values = values ?? new Dictionary<string, double>();
    }

    /// <summary>No overrides: every loss takes its paper defaults.</summary>
    public static LossOptions Defaults { get; } = new();

    /// <summary>The overrides, by parameter name.</summary>
    public IReadOnlyDictionary<string, double> Values { get; }
}
