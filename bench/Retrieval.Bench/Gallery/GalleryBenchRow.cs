namespace Retrieval.Bench.Gallery;

/// <summary>
/// One design at one gallery size: start (empty) and restart times to SERVING, upsert latency percentiles (ms) for
/// batches of 1 and 100, resident memory and disk per item, the last compaction, fill rate and what the restart replayed.
/// </summary>
public sealed record GalleryBenchRow(
    string Design, int Items, double EmptyStartSeconds, double RestartSeconds, long ReplayedAtRestart,
    double Upsert1P50Ms, double Upsert1P99Ms, int Upsert1Samples, double Upsert100P50Ms, double Upsert100P99Ms, int Upsert100Samples,
    double RssBytesPerItem, double RssBytesPerItemAfterWrites, double IdealBytesPerItem, double DiskBytesPerItem,
    double? LastCompactionSeconds, int LastCompactionItems, int Compactions, double? FillItemsPerSecond);
