using Retrieval.Study.Statistics;

namespace Retrieval.Study.Report;

/// <summary>Reads a difference interval: above zero = the claimed direction holds; below = the reverse holds; else not significant.</summary>
public static class Verdict
{
    /// <summary>The verdict of a claim whose part (or whose losses in it) did not run, with the command that measures it.</summary>
    public static string NotMeasured(string part) => $"not measured in this run (`make study PART={part}`)";

    /// <summary>The verdict on "a is better than b" from the interval of a - b.</summary>
    public static string Better(Interval difference) =>
        difference.AboveZero ? "**holds**"
        : difference.BelowZero ? "**does not hold** (the reverse is significant)"
        : "not shown (interval includes 0)";

    /// <summary>The verdict on "no significant difference" from the interval of a - b.</summary>
    public static string NoDifference(Interval difference) =>
        difference.AboveZero || difference.BelowZero ? "**does not hold** (significant difference)" : "**holds** (interval includes 0)";

    /// <summary>
    /// The verdict on "the mean-field loss gains most at small dimensions" from the interval of (lead at the smallest
    /// minus lead at the largest dimension) and the interval of the lead at the smallest: a gap that only narrows is
    /// not a lead, so the claim holds in full only when the loss is also ahead at the smallest dimension.
    /// </summary>
    public static string SmallDimensions(Interval gain, Interval leadAtSmallest, int smallest) =>
        !gain.AboveZero ? Better(gain)
        : leadAtSmallest.AboveZero ? $"**holds** (ahead at {smallest}-d, and by more than at the largest dimension)"
        : leadAtSmallest.BelowZero ? $"**holds only in part**: the gap narrows toward small dimensions, but it is significantly behind at {smallest}-d"
        : $"**holds only in part**: the gap narrows toward small dimensions, but it is not significantly ahead at {smallest}-d";

    /// <summary>"+1.23 ± 0.45 (n = 5, paired)" in percentage points.</summary>
    public static string Points(Interval difference) =>
        $"{(difference.Mean >= 0 ? "+" : "")}{difference.Format(100, 2)} pts (n = {difference.Count}, paired)";
}
