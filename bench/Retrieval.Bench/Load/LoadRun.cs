using Retrieval.Cli.Client;

namespace Retrieval.Bench.Load;

/// <summary>One measured load run of `retrieval-bench load`: the server's micro-batching setting and the load generator's report.</summary>
public sealed record LoadRun(string Mode, int MaxBatch, double MaxWaitMs, double Seconds, LoadTestReport Report);
