namespace Retrieval.Core.Search;

/// <summary>A k-nearest-neighbour index over fixed-size float vectors with caller-given 64-bit ids.</summary>
public interface IVectorIndex
{
    /// <summary>Length of every vector.</summary>
    int Dimension { get; }

    /// <summary>The distance the index ranks by (smaller is closer).</summary>
    VectorMetric Metric { get; }

    /// <summary>Number of live (not deleted) items.</summary>
    int Count { get; }

    /// <summary>Adds items; <paramref name="vectors"/> holds ids.Length rows of Dimension floats. An existing id is replaced.</summary>
    void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids);

    /// <summary>Deletes an item; returns false when the id is unknown. Deleted items are never returned.</summary>
    bool Remove(long id);

    /// <summary>Whether a live item has this id.</summary>
    bool Contains(long id);

    /// <summary>
    /// Copies the stored vector of a live item into <paramref name="destination"/> (Dimension floats) and returns
    /// true; false when the id is unknown. For cosine the stored vector is the L2-normalised one.
    /// </summary>
    bool TryGetVector(long id, Span<float> destination);

    /// <summary>
    /// The k nearest live items that pass <see cref="SearchParams.Filter"/>, closest first; ties broken by smaller id.
    /// Fewer than k only when fewer than k live items pass.
    /// </summary>
    Neighbor[] Search(ReadOnlySpan<float> query, int k, SearchParams? options = null);

    /// <summary>Writes the index atomically (temp file, then rename).</summary>
    void Save(string path);
}
