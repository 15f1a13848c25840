namespace Retrieval.Serve.Engine;

/// <summary>Per-call search settings: k, HNSW beam (0 = default), exact brute force, minimum cosine score.</summary>
public sealed record SearchQuery(int K, int Ef = 0, bool Exact = false, float? ScoreThreshold = null);
