namespace Retrieval.Bench.Abuse;

/// <summary>One abuse case: what was sent, the status the server returned, how long it took and the server's peak RSS meanwhile.</summary>
public sealed record AbuseResult(string Case, string Expected, string Status, double Milliseconds, double PeakRssMiB)
{
    /// <summary>True when the server answered as expected.</summary>
    public bool AsExpected => Status == Expected;
}
