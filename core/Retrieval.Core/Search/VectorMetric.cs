namespace Retrieval.Core.Search;

/// <summary>Distance used by a vector index; for both, smaller means closer.</summary>
public enum VectorMetric
{
    /// <summary>1 - dot product of L2-normalised vectors (cosine distance).</summary>
    Cosine = 0,

    /// <summary>Squared Euclidean distance.</summary>
    SquaredL2 = 1,
}
