namespace Retrieval.Serve.Replication;

/// <summary>A write or read of the shared store that did not happen, with the reason and a message for the caller.</summary>
public sealed class StoreException(StoreError error, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What went wrong.</summary>
    public StoreError Error { get; } = error;

    /// <summary>True when the database failed while committing: the write may have been applied (a retry settles it).</summary>
    public bool OutcomeUnknown { get; init; }
}
