namespace Retrieval.Serve.Gallery;

/// <summary>One search result: the gallery item and its cosine similarity to the query (larger is closer).</summary>
public sealed record GalleryHit(long Id, string Label, string ImagePath, IReadOnlyDictionary<string, string> Attributes, float Score);
