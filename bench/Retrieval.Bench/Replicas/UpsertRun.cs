namespace Retrieval.Bench.Replicas;

/// <summary>Sustained UpsertVectors through one server: store, batch size, clients, items and calls per second, call latency percentiles (ms).</summary>
public sealed record UpsertRun(string Store, int Batch, int Clients, double Seconds, long Calls, long Items, long Errors,
    double ItemsPerSecond, double CallsPerSecond, double P50Ms, double P99Ms, string? FirstError);
