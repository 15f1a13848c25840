using Retrieval.Core.Storage;

namespace Retrieval.Serve.Replication;

/// <summary>One item to write to the shared store: id, metadata and the embedding the writing replica's model made.</summary>
public sealed record ItemWrite(long Id, string Label, string ImagePath, IReadOnlyDictionary<string, string> Attributes, float[] Embedding)
{
    /// <summary>The write of a gallery item.</summary>
    public static ItemWrite Of(VectorItem item) => new(item.Id, item.Metadata.Label, item.Metadata.ImagePath, item.Metadata.Attributes, item.Vector);
}
