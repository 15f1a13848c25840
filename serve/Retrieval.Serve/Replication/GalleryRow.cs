namespace Retrieval.Serve.Replication;

/// <summary>
/// One item as the shared store holds it: its latest state and the change sequence that wrote it. A deleted item is
/// a tombstone (<see cref="Deleted"/>, no embedding) kept so that replicas which were away still learn of the delete.
/// </summary>
public sealed record GalleryRow(
    long Id,
    long Sequence,
    bool Deleted,
    string Label,
    string ImagePath,
    IReadOnlyDictionary<string, string> Attributes,
    string? ModelSha256,
    float[]? Embedding);
