using System.Globalization;
using Retrieval.Core.IO;

namespace Retrieval.Cli.Client;

/// <summary>Outcome of a <see cref="LoadTestRunner"/> run: answered and failed calls, retries, latencies of the answered calls (ms).</summary>
public sealed record LoadTestReport
{
    public required string Server { get; init; }
    /// <summary>Calls sent and measured (answered + failed).</summary>
    public required int Queries { get; init; }
    public required int Answered { get; init; }
    public required int Failed { get; init; }
    /// <summary>Failed calls per final gRPC status code.</summary>
    public required IReadOnlyDictionary<string, int> FailedByStatus { get; init; }
    /// <summary>The first failure, "Code: detail"; null when none failed.</summary>
    public string? FirstError { get; init; }
    /// <summary>Answered calls that needed more than one attempt (client retry on UNAVAILABLE).</summary>
    public required int Retried { get; init; }
    public required int Concurrency { get; init; }
    public required double ElapsedSeconds { get; init; }
    /// <summary>Answered calls per second.</summary>
    public required double QueriesPerSecond { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    public double? LatencyMeanMs { get; init; }
    public double? LatencyMaxMs { get; init; }

    /// <summary>Writes the report as JSON to <paramref name="path"/>, atomically.</summary>
    public void WriteJson(string path) => JsonFiles.Write(path, this);

    /// <summary>One line for the console.</summary>
    public string Summary()
    {
        string failures = Failed > 0 ? $" ({string.Join(", ", FailedByStatus.Select(p => $"{p.Key} x{p.Value}"))})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Queries} queries: {Answered} answered, {Failed} failed{failures}, {Retried} retried; {QueriesPerSecond:F1} q/s, latency p50 {LatencyP50Ms:F1} ms, p95 {LatencyP95Ms:F1} ms, max {LatencyMaxMs:F1} ms");
    }
}
