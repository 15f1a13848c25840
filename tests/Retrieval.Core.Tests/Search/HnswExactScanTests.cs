using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Exact search over the HNSW index's own vectors (same answer as ExactIndex) and reading stored vectors by id.</summary>
public class HnswExactScanTests
{
    private const int Dim = 12;

    [Theory]
    [InlineData(VectorMetric.SquaredL2)]
    [InlineData(VectorMetric.Cosine)]
    public void ExactSearch_MatchesExactIndex_WithAndWithoutFilter_AfterRemovesAndReplacements(VectorMetric metric)
    {
        var data = VectorData.RandomUnit(900, Dim, seed: 41);
        var ids = VectorData.Ids(900);
        var hnsw = new HnswIndex(Dim, metric, new HnswOptions(M: 6, EfConstruction: 40, InitialCapacity: 64));
        var exact = new ExactIndex(Dim, metric);
        foreach (var index in new IVectorIndex[] { hnsw, exact })
        {
            index.Add(data, ids);
            for (int i = 0; i < 900; i += 9) index.Remove(ids[i]);
            index.Add(data.AsSpan(0, 30 * Dim), ids.AsSpan(300, 30)); // replace 30 ids with other vectors
        }
        var filter = SearchFilter.Where(id => id % 5 != 0);
        var queries = VectorData.RandomUnit(25, Dim, seed: 42);
        for (int q = 0; q < 25; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            foreach (var f in new[] { null, filter })
            {
                var expected = exact.Search(query, 20, new SearchParams(Filter: f));
                var found = hnsw.Search(query, 20, new SearchParams(Ef: 1, Filter: f, Exact: true));
                Assert.Equal(expected.Select(n => n.Id), found.Select(n => n.Id));
                Assert.Equal(expected.Select(n => (double)n.Distance), found.Select(n => (double)n.Distance), (a, b) => Math.Abs(a - b) < 1e-5);
            }
        }
    }

    [Fact]
    public void ExactSearch_BreaksTiesBySmallerId_LikeExactIndex()
    {
        var hnsw = new HnswIndex(2, VectorMetric.SquaredL2);
        hnsw.Add([1, 0, 1, 0, 1, 0, 5, 5], [9, 5, 7, 1]);
        Assert.Equal([5L, 7], hnsw.Search([1, 0], 2, new SearchParams(Exact: true)).Select(n => n.Id));
        Assert.Equal([7L, 9], hnsw.Search([1, 0], 2, new SearchParams(Exact: true, Filter: SearchFilter.Where(id => id != 5))).Select(n => n.Id));
    }

    [Fact]
    public void TryGetVector_ReadsTheStoredVector_NormalisedForCosine()
    {
        var l2 = new HnswIndex(3, VectorMetric.SquaredL2);
        l2.Add([1, 2, 3, -4, 5, 6], [10, 20]);
        var v = new float[3];
        Assert.True(l2.TryGetVector(20, v));
        Assert.Equal([-4f, 5, 6], v);
        l2.Add([7, 8, 9], [20]);
        Assert.True(l2.TryGetVector(20, v));
        Assert.Equal([7f, 8, 9], v);
        Assert.True(l2.Remove(10));
        Assert.False(l2.TryGetVector(10, v));
        Assert.False(l2.TryGetVector(99, v));
        Assert.Throws<ArgumentException>(() => l2.TryGetVector(20, new float[2]));

        var cosine = new HnswIndex(2, VectorMetric.Cosine);
        cosine.Add([3, 4], [1]);
        var c = new float[2];
        Assert.True(cosine.TryGetVector(1, c));
        Assert.Equal(0.6f, c[0], 6);
        Assert.Equal(0.8f, c[1], 6);
    }

    [Fact]
    public void ExactIndex_ReadsVectorsById_AndReportsMembership()
    {
        var index = new ExactIndex(2, VectorMetric.SquaredL2);
        index.Add([1, 2, 3, 4], [5, 6]);
        var v = new float[2];
        Assert.True(index.TryGetVector(6, v));
        Assert.Equal([3f, 4], v);
        Assert.True(index.Contains(5));
        index.Remove(5);
        Assert.False(index.Contains(5));
        Assert.False(index.TryGetVector(5, v));
    }
}
