namespace Retrieval.Bench.Gallery;

/// <summary>
/// What a crash run saw: rounds, kills aimed at a running compaction, restarts that found and removed the leftovers of
/// an interrupted snapshot write, acknowledged writes, in-flight writes found applied or not, and every violation.
/// </summary>
public sealed record CrashReport(int Rounds, int KilledDuringCompaction, int InterruptedSnapshotsCleaned, int AcknowledgedWrites, int InFlightApplied,
    int InFlightLost, IReadOnlyList<string> Violations);
