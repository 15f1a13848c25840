namespace Retrieval.Serve.Gallery;

/// <summary>A gallery image to embed: id, label, the image path (relative paths resolve against the data root) and the item's attributes.</summary>
public sealed record GallerySource(long Id, string Label, string ImagePath, IReadOnlyDictionary<string, string>? Attributes = null);
