namespace Retrieval.Serve.Replication;

/// <summary>
/// How far a replica has followed the shared gallery: the sequence applied locally, the newest one it knows of (from
/// the last read or notification), whether its connection is up, when it last heard from the database, and the
/// reason it is not following when it is not (database down, another model's embeddings, a row it cannot apply).
/// </summary>
public sealed record ReplicationStatus(long AppliedSequence, long HeadSequence, bool Connected, DateTimeOffset? LastContact, string? Problem)
{
    /// <summary>Changes committed to the database that this replica has not applied yet.</summary>
    public long Lag => Math.Max(0, HeadSequence - AppliedSequence);
}
