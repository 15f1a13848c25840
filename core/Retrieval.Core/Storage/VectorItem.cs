namespace Retrieval.Core.Storage;

/// <summary>One item to upsert: caller-given id, its metadata and its vector.</summary>
public sealed record VectorItem(long Id, ItemMetadata Metadata, float[] Vector);
