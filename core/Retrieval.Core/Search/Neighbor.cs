namespace Retrieval.Core.Search;

/// <summary>One search result: the item's id and its distance to the query (smaller is closer).</summary>
public readonly record struct Neighbor(long Id, float Distance);
