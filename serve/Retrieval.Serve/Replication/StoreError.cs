namespace Retrieval.Serve.Replication;

/// <summary>Why the shared store refused or could not complete a write; the service maps each to a gRPC status.</summary>
public enum StoreError
{
    /// <summary>The database cannot be reached or failed mid-way (UNAVAILABLE: retry; upserts and deletes are idempotent).</summary>
    Unavailable,

    /// <summary>The gallery's embeddings come from another model than this replica serves (FAILED_PRECONDITION).</summary>
    ModelMismatch,

    /// <summary>The database holds something this server cannot use, e.g. a newer schema (FAILED_PRECONDITION).</summary>
    Incompatible,
}
