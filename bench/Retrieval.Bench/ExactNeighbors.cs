using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>Brute-force ground truth for the index benchmark: the exact top-k row numbers of every query, ties by smaller row.</summary>
public static class ExactNeighbors
{
    /// <summary>Returns queries x k row numbers (row-major). For cosine, data and queries must already be L2-normalised.</summary>
    public static long[] TopK(float[] data, float[] queries, int dim, int k, VectorMetric metric)
    {
        int n = data.Length / dim, nq = queries.Length / dim;
        var truth = new long[nq * k];
        Parallel.For(0, nq, q =>
        {
            var query = queries.AsSpan(q * dim, dim);
            var best = new (float D, long Row)[k];
            best.AsSpan().Fill((float.MaxValue, long.MaxValue));
            for (int i = 0; i < n; i++)
            {
                var row = data.AsSpan(i * dim, dim);
                float d = metric == VectorMetric.Cosine ? 1f - VectorDistance.Dot(query, row) : VectorDistance.SquaredL2(query, row);
                if (d >= best[k - 1].D) continue;
                int j = k - 1;
                for (; j > 0 && best[j - 1].D > d; j--) best[j] = best[j - 1];
                best[j] = (d, i);
            }
            for (int j = 0; j < k; j++) truth[q * k + j] = best[j].Row;
        });
        return truth;
    }
}
