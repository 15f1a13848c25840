namespace Retrieval.Serve.Gallery;

/// <summary>Why the gallery refused a call; the service edge maps each to a gRPC status.</summary>
public enum GalleryError
{
    /// <summary>A vector, id, attribute or filter is malformed (INVALID_ARGUMENT).</summary>
    InvalidArgument,

    /// <summary>The gallery cannot answer in its state, e.g. it is empty (FAILED_PRECONDITION).</summary>
    FailedPrecondition,
}
