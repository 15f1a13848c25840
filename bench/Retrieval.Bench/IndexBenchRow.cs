namespace Retrieval.Bench;

/// <summary>
/// One ef setting of one library: recall@k, queries/s on one thread and on all threads (wall clock), and queries per
/// CPU-second on one thread (robust when the machine is shared: time the process spends descheduled does not count).
/// </summary>
public sealed record IndexBenchRow(int Ef, double Recall, double Qps1, double QpsAll, double Qps1Cpu);
