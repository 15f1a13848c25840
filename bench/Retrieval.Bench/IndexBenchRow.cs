namespace Retrieval.Bench;

/// <summary>One ef setting of an index benchmark: recall@k and queries/s on one thread and on all threads.</summary>
public sealed record IndexBenchRow(int Ef, double Recall, double Qps1, double QpsAll);
