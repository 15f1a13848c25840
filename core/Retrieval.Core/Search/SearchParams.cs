namespace Retrieval.Core.Search;

/// <summary>Per-call search settings. Ef is the HNSW beam width (0 = the index default); the effective beam is max(Ef, k).</summary>
public sealed record SearchParams(int Ef = 0);
