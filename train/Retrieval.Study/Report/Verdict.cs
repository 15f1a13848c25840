using Retrieval.Study.Statistics;

namespace Retrieval.Study.Report;

/// <summary>Reads a difference interval: above zero = the claimed direction holds; below = the reverse holds; else not significant.</summary>
public static class Verdict
{
    public const string NotMeasured = "not measured (no runs of these losses in that part yet)";

    /// <summary>The verdict on "a is better than b" from the interval of a - b.</summary>
    public static string Better(Interval difference) =>
        difference.AboveZero ? "**holds**"
        : difference.BelowZero ? "**does not hold** (the reverse is significant)"
        : "not shown (interval includes 0)";

    /// <summary>The verdict on "no significant difference" from the interval of a - b.</summary>
    public static string NoDifference(Interval difference) =>
        difference.AboveZero || difference.BelowZero ? "**does not hold** (significant difference)" : "**holds** (interval includes 0)";

    /// <summary>"+1.23 ± 0.45 (n = 5, paired)" in percentage points.</summary>
    public static string Points(Interval difference) =>
        $"{(difference.Mean >= 0 ? "+" : "")}{difference.Format(100, 2)} pts (n = {difference.Count}, paired)";
}
