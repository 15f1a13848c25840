namespace Retrieval.Serve.Gallery;

/// <summary>A gallery image to embed: id, label and the image path (relative paths resolve against the data root).</summary>
public sealed record GallerySource(long Id, string Label, string ImagePath);
