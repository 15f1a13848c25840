using System.Globalization;

namespace Retrieval.Study.Statistics;

/// <summary>
/// A mean with its two-sided 95% Student-t confidence interval over n independent repetitions:
/// mean +- t(0.975, n-1) s / sqrt(n), s the sample standard deviation. One value has no interval (half-width NaN).
/// </summary>
public sealed record Interval(double Mean, double HalfWidth, double StandardDeviation, int Count)
{
    /// <summary>Lower end of the interval.</summary>
    public double Low => Mean - HalfWidth;

    /// <summary>Upper end of the interval.</summary>
    public double High => Mean + HalfWidth;

    /// <summary>The 95% t-interval of <paramref name="values"/> (at least one).</summary>
    public static Interval Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("an interval needs at least one value", nameof(values));
        var mean = values.Average();
        if (values.Count == 1) return new Interval(mean, double.NaN, double.NaN, 1);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var t = StudentT.Quantile(0.975, values.Count - 1);
        return new Interval(mean, t * sd / Math.Sqrt(values.Count), sd, values.Count);
    }

    /// <summary>The interval of the paired differences a_i - b_i (the same seeds / folds in both).</summary>
    public static Interval OfDifferences(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"paired samples need equal counts, got {a.Count} and {b.Count}", nameof(b));
        return Of(a.Zip(b, (x, y) => x - y).ToList());
    }

    /// <summary>True when the interval lies entirely above zero.</summary>
    public bool AboveZero => !double.IsNaN(HalfWidth) && Low > 0;

    /// <summary>True when the interval lies entirely below zero.</summary>
    public bool BelowZero => !double.IsNaN(HalfWidth) && High < 0;

    /// <summary>"0.4123 ± 0.0051" (scale 1) or "41.23 ± 0.51" (scale 100).</summary>
    public string Format(double scale = 1, int decimals = 4) => double.IsNaN(HalfWidth)
        ? (Mean * scale).ToString("F" + decimals, CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{(Mean * scale).ToString("F" + decimals, CultureInfo.InvariantCulture)} ± {(HalfWidth * scale).ToString("F" + decimals, CultureInfo.InvariantCulture)}");
}
