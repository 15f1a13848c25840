namespace Retrieval.Serve.Replication;

/// <summary>One item to write to the shared store: id, metadata and the embedding the writing replica's model made.</summary>
public sealed record ItemWrite(long Id, string Label, string ImagePath, IReadOnlyDictionary<string, string> Attributes, float[] Embedding);
