namespace Retrieval.Serve.Gallery;

/// <summary>A call the gallery refuses, with the reason and a message naming the offending field or item.</summary>
public sealed class GalleryException(GalleryError error, string message) : Exception(message)
{
    /// <summary>The kind of refusal.</summary>
    public GalleryError Error { get; } = error;
}
