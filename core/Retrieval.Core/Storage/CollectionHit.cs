namespace Retrieval.Core.Storage;

/// <summary>One search result of a collection: the item's id, its metadata and its distance to the query (smaller is closer).</summary>
public readonly record struct CollectionHit(long Id, ItemMetadata Metadata, float Distance);
