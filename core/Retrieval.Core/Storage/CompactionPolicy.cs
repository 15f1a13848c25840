namespace Retrieval.Core.Storage;

/// <summary>
/// When a collection writes a new snapshot in the background: once <paramref name="AfterItems"/> items were changed
/// since the last one. It bounds the log a restart replays (each replayed upsert is an index insert) against how
/// often the whole index is written.
/// </summary>
/// <param name="AfterItems">Changed items (upserted or deleted) that start a compaction; at least 1.</param>
public sealed record CompactionPolicy(int AfterItems = 8192)
{
    /// <summary>Throws ArgumentException naming an out-of-range setting.</summary>
    public void Validate()
    {
        if (AfterItems < 1) throw new ArgumentException($"CompactionPolicy.AfterItems must be >= 1, got {AfterItems}.");
    }
}
