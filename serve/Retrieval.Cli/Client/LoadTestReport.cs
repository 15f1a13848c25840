using System.Text.Json;
using System.Text.Json.Serialization;
using Retrieval.Core.IO;

namespace Retrieval.Cli.Client;

/// <summary>Outcome of a <see cref="LoadTestRunner"/> run: answered and failed queries, retries, latencies.</summary>
public sealed record LoadTestReport
{
    public required string Server { get; init; }
    public required int Queries { get; init; }
    public required int Answered { get; init; }
    public required int Failed { get; init; }
    /// <summary>Failed queries per final gRPC status code.</summary>
    public required IReadOnlyDictionary<string, int> FailedByStatus { get; init; }
    /// <summary>Answered queries that needed more than one attempt (client retry on UNAVAILABLE).</summary>
    public required int Retried { get; init; }
    public required int Concurrency { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double QueriesPerSecond { get; init; }
    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    public required double LatencyMaxMs { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes the report as JSON to <paramref name="path"/> via a temporary file and a rename.</summary>
    public void WriteJson(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    /// <summary>One line for the console.</summary>
    public string Summary() =>
        $"{Queries} queries: {Answered} answered, {Failed} failed" +
        (Failed > 0 ? $" ({string.Join(", ", FailedByStatus.Select(p => $"{p.Key} x{p.Value}"))})" : "") +
        $", {Retried} retried; {QueriesPerSecond:F1} q/s, latency p50 {LatencyP50Ms:F1} ms, p95 {LatencyP95Ms:F1} ms, max {LatencyMaxMs:F1} ms";
}
