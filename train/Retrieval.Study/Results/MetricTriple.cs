using Retrieval.Core.Metrics;

namespace Retrieval.Study.Results;

/// <summary>The three MLRC accuracies of one evaluation.</summary>
public sealed record MetricTriple(double PrecisionAt1, double RPrecision, double MapAtR)
{
    public static MetricTriple Of(RetrievalReport r) => new(r.PrecisionAt1, r.RPrecision, r.MapAtR);

    /// <summary>The component-wise mean.</summary>
    public static MetricTriple Mean(IReadOnlyList<MetricTriple> values) =>
        new(values.Average(v => v.PrecisionAt1), values.Average(v => v.RPrecision), values.Average(v => v.MapAtR));
}
