namespace Retrieval.Serve.Gallery;

/// <summary>One gallery entry: caller-given id, class label, image path, and its embedding.</summary>
public sealed record GalleryItem(long Id, string Label, string ImagePath, float[] Embedding);
