using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Engine;

/// <summary>One consistent model + gallery pair, swapped as a whole on reload; <see cref="Replica"/> follows the shared gallery when PostgreSQL is the store.</summary>
public sealed record ServingState(MicroBatcher Batcher, GalleryStore Gallery, string ModelPath, ReplicatedGallery? Replica = null)
{
    /// <summary>The loaded model.</summary>
    public IEmbeddingModel Model => Batcher.Model;
}
