using Prometheus;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Replication;

/// <summary>
/// Prometheus gauges of a replica following a shared gallery, read from the engine's state at each scrape:
/// applied and newest known sequence, lag, connection, and the live item count (which other replicas' writes change).
/// </summary>
public static class ReplicationMetrics
{
    /// <summary>Adds the gauges to <paramref name="metrics"/>'s registry, refreshed from <paramref name="engine"/> before every collection.</summary>
    public static void Register(ServingMetrics metrics, RetrievalEngine engine)
    {
        var factory = Metrics.WithCustomRegistry(metrics.Registry);
        var applied = factory.CreateGauge("retrieval_replication_applied_sequence", "Newest shared-gallery change applied on this replica.");
        var head = factory.CreateGauge("retrieval_replication_head_sequence", "Newest shared-gallery change this replica knows was committed.");
        var lag = factory.CreateGauge("retrieval_replication_lag", "Committed shared-gallery changes this replica does not serve yet.");
        var connected = factory.CreateGauge("retrieval_replication_connected", "1 while the replica's connection to the shared gallery's database is up.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            if (!engine.IsReady || engine.State.Replica is not { } replica) return;
            var status = replica.Status;
            applied.Set(status.AppliedSequence);
            head.Set(status.HeadSequence);
            lag.Set(status.Lag);
            connected.Set(status.Connected ? 1 : 0);
            metrics.IndexSize.Set(engine.State.Gallery.Count);
        });
    }
}
