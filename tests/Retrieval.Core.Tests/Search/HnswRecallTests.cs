using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Recall@10 of the HNSW index against brute-force search at the sizes (20,000 x 128).</summary>
/// <remarks>
/// Isotropic random unit vectors in 128-d are the hardest case for any graph index: with M = 16 and
/// efConstruction = 200, hnswlib 0.6.2 itself reaches recall@10 0.61 at ef = 100 and 0.99 at ef = 800 on them
/// (measured here, docs/results/hnsw.md), so for that data set 0.98 is required at ef = 800. Clustered data
/// (embedding-like: classes with small spread) must reach 0.98 at ef = 100.
/// </remarks>
public class HnswRecallTests
{
    private const int Dim = 128;
    private const int N = 20_000;

    [Fact]
    public void RandomUnitVectors_20000x128_RecallAt10()
    {
        var data = VectorData.RandomUnit(N, Dim, seed: 1);
        var ids = VectorData.Ids(N);
        var index = new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 16, EfConstruction: 200));
        index.Add(data, ids);
        var queries = VectorData.RandomUnit(100, Dim, seed: 2);

        double at100 = VectorData.Recall(index, data, ids, queries, k: 10, ef: 100);
        double at800 = VectorData.Recall(index, data, ids, queries, k: 10, ef: 800);

        Assert.True(at800 >= 0.98, $"recall@10 at ef=800 = {at800:F4}");
        Assert.True(at100 >= 0.55, $"recall@10 at ef=100 = {at100:F4} (hnswlib: 0.61)");
        Assert.Equal(N, index.Count);
    }

    [Fact]
    public void ClusteredData_20000x128_RecallAt10_IsAtLeast098_AtEf100()
    {
        var data = VectorData.Clustered(N, Dim, clusters: 200, spread: 0.5, seed: 3, centreSeed: 30);
        var ids = VectorData.Ids(N);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 16, EfConstruction: 200));
        index.Add(data, ids);
        var queries = VectorData.Clustered(100, Dim, clusters: 200, spread: 0.5, seed: 4, centreSeed: 30);

        double recall = VectorData.Recall(index, data, ids, queries, k: 10, ef: 100);

        Assert.True(recall >= 0.98, $"recall@10 = {recall:F4}");
    }
}
