namespace Retrieval.Bench.Load;

/// <summary>One load run: configuration, throughput, latency percentiles (ms) and errors.</summary>
public sealed record LoadResult(string Mode, int MaxBatch, double MaxWaitMs, int Clients, double Seconds, long Requests, long Errors,
    double Qps, double P50Ms, double P95Ms, double P99Ms, double MeanMs, string? FirstError);
