namespace Retrieval.Serve.Replication;

/// <summary>Where an operation on the shared gallery was when the database failed: what the caller can conclude.</summary>
public enum WriteStage
{
    /// <summary>A read: nothing changed.</summary>
    Reading,

    /// <summary>A write before its commit: nothing was written.</summary>
    Writing,

    /// <summary>A write's commit: it may or may not have been applied.</summary>
    Committing,
}
