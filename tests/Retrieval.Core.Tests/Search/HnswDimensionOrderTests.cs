using Retrieval.Core.Search;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Search;

/// <summary>L2 indexes of 256+ dimensions store dimensions by decreasing variance; callers never see the difference.</summary>
public sealed class HnswDimensionOrderTests : TempTreeTest
{
    private const int Dim = 300;

    [Fact]
    public void ReorderedStorage_IsInvisible_InResultsVectorsAndFiles()
    {
        // Dimension j has scale (j % 7) + 0.1, so the variance order is far from the natural one.
        var rng = new Random(91);
        var data = new float[1_500 * Dim];
        for (int i = 0; i < data.Length; i++) data[i] = (float)((rng.NextDouble() - 0.5) * ((i % Dim) % 7 + 0.1));
        var ids = VectorData.Ids(1_500);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 80));
        index.Add(data, ids);
        var queries = new float[20 * Dim];
        for (int i = 0; i < queries.Length; i++) queries[i] = (float)((rng.NextDouble() - 0.5) * ((i % Dim) % 7 + 0.1));

        var v = new float[Dim];
        Assert.True(index.TryGetVector(ids[42], v));
        Assert.Equal(data.AsSpan(42 * Dim, Dim).ToArray(), v);
        string path = Path.Combine(Tree.Root, "l2.hnsw");
        index.Save(path);
        var loaded = HnswIndex.Load(path);
        Assert.True(loaded.TryGetVector(ids[42], v));
        Assert.Equal(data.AsSpan(42 * Dim, Dim).ToArray(), v);
        for (int q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var exact = VectorData.ExactTopK(data, ids, Dim, query, 10, VectorMetric.SquaredL2);
            Assert.Equal(exact, index.Search(query, 10, new SearchParams(Exact: true)).Select(n => n.Id));
            var hits = index.Search(query, 10, new SearchParams(200));
            Assert.True(hits.Count(n => exact.Contains(n.Id)) >= 8, "graph search recall@10 below 0.8");
            Assert.Equal(hits, loaded.Search(query, 10, new SearchParams(200)));
            Assert.Equal(VectorDistance.SquaredL2(query, data.AsSpan(Array.IndexOf(ids, hits[0].Id) * Dim, Dim)), hits[0].Distance, 1e-3);
        }
    }
}
