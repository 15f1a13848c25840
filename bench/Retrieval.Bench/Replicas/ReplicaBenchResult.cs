namespace Retrieval.Bench.Replicas;

/// <summary>
/// What `retrieval-bench replicas` measured: upsert throughput through a replica on PostgreSQL and through an embedded
/// (local) server in the same run, the time from an acknowledged write on one replica until the other serves it,
/// the database's bytes per item, and the machine's load average before and after.
/// </summary>
public sealed record ReplicaBenchResult(
    int Dimension,
    IReadOnlyList<UpsertRun> Upserts,
    int VisibilitySamples,
    int VisibilityMisses,
    double AckP50Ms,
    double AckP99Ms,
    double VisibleP50Ms,
    double VisibleP99Ms,
    long DatabaseBytes,
    long DatabaseRows,
    long LiveItems,
    double DatabaseBytesPerItem,
    string LoadBefore,
    string LoadAfter);
