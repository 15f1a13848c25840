using Retrieval.Core.Storage;

namespace Retrieval.Serve.Gallery;

/// <summary>Per-call search settings: k, HNSW beam (0 = default), exact brute force, minimum cosine score, and which items may be returned.</summary>
public sealed record SearchQuery(int K, int Ef = 0, bool Exact = false, float? ScoreThreshold = null, ItemFilter? Filter = null);
