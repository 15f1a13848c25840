using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>One benchmark data set: the indexed rows, the query rows, the metric and the exact top-k row numbers of each query.</summary>
public sealed record IndexDataset(string Name, string Description, VectorMetric Metric, int Dimension, float[] Data, float[] Queries, long[] Truth, int K)
{
    /// <summary>Indexed rows.</summary>
    public int Count => Data.Length / Dimension;

    /// <summary>Query rows.</summary>
    public int QueryCount => Queries.Length / Dimension;

    /// <summary>One query row.</summary>
    public ReadOnlySpan<float> Query(int q) => Queries.AsSpan(q * Dimension, Dimension);

    /// <summary>Mean overlap of each result list with the exact top-k rows (ids are row numbers).</summary>
    public double Recall(long[][] found)
    {
        double hits = 0;
        for (int q = 0; q < found.Length; q++)
        {
            var exact = new ArraySegment<long>(Truth, q * K, K);
            foreach (long id in found[q].Take(K)) if (exact.Contains(id)) hits++;
        }
        return hits / ((double)found.Length * K);
    }
}
