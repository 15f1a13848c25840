namespace Retrieval.Core.Search;

/// <summary>Per-call search settings.</summary>
/// <param name="Ef">HNSW beam width (0 = the index default); the effective beam is max(Ef, k). Ignored by exact indexes.</param>
/// <param name="Filter">Only items that pass are returned (null = all live items); k results come back whenever k live items pass.</param>
/// <param name="Exact">Brute force over the index's own stored vectors (same distance and tie rule as <see cref="ExactIndex"/>) instead of the graph.</param>
public sealed record SearchParams(int Ef = 0, SearchFilter? Filter = null, bool Exact = false);
