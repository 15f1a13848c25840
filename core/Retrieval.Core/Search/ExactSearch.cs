namespace Retrieval.Core.Search;

/// <summary>
/// Brute-force k-nearest-neighbour search over flat row-major buffers: SIMD distances, queries in parallel,
/// each result sorted by (distance, reference index). The ground truth for the HNSW index and the metrics.
/// <see cref="Scan{TRows}"/> is the one brute-force loop; <see cref="ExactIndex"/> runs it over its own rows.
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
            Scan(queries.AsSpan(q * dimension, dimension), references, metric, top, new RowIndices(nr, excludeSelf ? q : -1));
            results[q] = top.ToSortedArray();
            return top;
        }, _ => { });
        return results;
    }

    /// <summary>
    /// Offers every row of <paramref name="vectors"/> that <paramref name="rows"/> includes to <paramref name="top"/>,
    /// at its distance from <paramref name="query"/> (cosine: 1 - dot of unit vectors; else squared L2).
    /// </summary>
    internal static void Scan<TRows>(ReadOnlySpan<float> query, ReadOnlySpan<float> vectors, VectorMetric metric, TopKCollector top, TRows rows)
        where TRows : struct, IScannedRows
    {
        int dimension = query.Length;
        for (int row = 0; row < rows.Count; row++)
        {
            if (!rows.Includes(row)) continue;
            var v = vectors.Slice(row * dimension, dimension);
            top.Offer(metric == VectorMetric.Cosine ? 1f - VectorDistance.Dot(query, v) : VectorDistance.SquaredL2(query, v), rows.Id(row));
        }
    }

    /// <summary>Rows 0..count-1, each its own id, one left out (-1: none).</summary>
    private readonly struct RowIndices(int count, int excluded) : IScannedRows
    {
        public int Count => count;
        public bool Includes(int row) => row != excluded;
        public long Id(int row) => row;
    }
}
