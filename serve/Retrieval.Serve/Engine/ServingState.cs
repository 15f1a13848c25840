using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Engine;

/// <summary>One consistent model + gallery pair, swapped as a whole on reload.</summary>
public sealed record ServingState(MicroBatcher Batcher, GalleryStore Gallery, string ModelPath)
{
    /// <summary>The loaded model.</summary>
    public IEmbeddingModel Model => Batcher.Model;
}
