namespace Retrieval.Core.Search;

/// <summary>
/// Brute-force k-nearest-neighbour search over flat row-major buffers: SIMD distances, queries in parallel,
/// each result sorted by (distance, reference index). The ground truth for the HNSW index and the metrics.
/// </summary>
public static class ExactSearch
{
    /// <summary>
    /// The k nearest reference rows of every query row; Neighbor.Id is the reference row index. With
    /// <paramref name="excludeSelf"/> (query set = reference set) a query's own row is never returned.
    /// </summary>
    public static Neighbor[][] TopK(float[] queries, float[] references, int dimension, int k,
        VectorMetric metric = VectorMetric.Cosine, bool excludeSelf = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length % dimension != 0) throw new ArgumentException($"queries length {queries.Length} is not a multiple of dimension {dimension}", nameof(queries));
        if (references.Length % dimension != 0) throw new ArgumentException($"references length {references.Length} is not a multiple of dimension {dimension}", nameof(references));
        int nq = queries.Length / dimension, nr = references.Length / dimension;
        if (excludeSelf && nq != nr) throw new ArgumentException($"excludeSelf needs query set = reference set, got {nq} queries and {nr} references", nameof(excludeSelf));
        int keep = Math.Min(k, excludeSelf ? nr - 1 : nr);
        var results = new Neighbor[nq][];
        if (keep <= 0)
        {
            Array.Fill(results, []);
            return results;
        }
        Parallel.For(0, nq, () => new TopKCollector(keep), (q, _, top) =>
        {
            top.Clear();
            var query = queries.AsSpan(q * dimension, dimension);
            for (int r = 0; r < nr; r++)
            {
                if (excludeSelf && r == q) continue;
                var reference = references.AsSpan(r * dimension, dimension);
                float distance = metric == VectorMetric.Cosine
                    ? 1f - VectorDistance.Dot(query, reference)
                    : VectorDistance.SquaredL2(query, reference);
                top.Offer(distance, r);
            }
            results[q] = top.ToSortedArray();
            return top;
        }, _ => { });
        return results;
    }
}
