using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Filtered search inside the graph: against brute force, with broad, selective and misleading filters.</summary>
public class HnswFilteredSearchTests
{
    private const int Dim = 16;
    private const int N = 20_000;
    private static readonly Lazy<(HnswIndex Index, float[] Data, long[] Ids, float[] Queries)> Shared = new(() =>
    {
        var data = VectorData.Clustered(N, Dim, clusters: 50, spread: 0.6, seed: 31, centreSeed: 32);
        var ids = VectorData.Ids(N);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 100, InitialCapacity: N));
        index.Add(data, ids);
        return (index, data, ids, VectorData.Clustered(40, Dim, clusters: 50, spread: 0.6, seed: 33, centreSeed: 32));
    });

    private static HashSet<long> NotMatching(long[] ids, Func<long, bool> keep) => ids.Where(id => !keep(id)).ToHashSet();

    [Fact]
    public void BroadFilter_WalksTheGraph_ReturnsKMatchingItems_WithHighRecall()
    {
        var (index, data, ids, queries) = Shared.Value;
        Func<long, bool> even = id => (id / 7) % 2 == 0;
        int calls = 0;
        var filter = SearchFilter.Where(id => { Interlocked.Increment(ref calls); return even(id); });
        var excluded = NotMatching(ids, even);
        double recall = 0;
        for (int q = 0; q < 40; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var found = index.Search(query, 10, new SearchParams(Ef: 64, Filter: filter));
            Assert.Equal(10, found.Length);
            Assert.All(found, n => Assert.True(even(n.Id)));
            var exact = VectorData.ExactTopK(data, ids, Dim, query, 10, VectorMetric.SquaredL2, excluded);
            recall += found.Count(n => exact.Contains(n.Id)) / 10.0 / 40;
        }
        Assert.True(recall >= 0.95, $"recall {recall:F4}");
        Assert.True(calls < 40 * N / 4, $"{calls} predicate calls for 40 searches: the graph walk should check far fewer items than a scan");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SelectiveFilter_GivesTheExactAnswer(bool withHint)
    {
        var (index, data, ids, queries) = Shared.Value;
        var allowed = ids.Where((_, i) => i % 211 == 5).ToHashSet(); // ~95 items, spread over all clusters
        var filter = withHint ? SearchFilter.AllowIds(allowed) : SearchFilter.Where(allowed.Contains);
        for (int q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var found = index.Search(query, 10, new SearchParams(Ef: 32, Filter: filter));
            Assert.Equal(VectorData.ExactTopK(data, ids, Dim, query, 10, VectorMetric.SquaredL2, NotMatching(ids, id => allowed.Contains(id))),
                found.Select(n => n.Id));
        }
    }

    [Fact]
    public void FilterMatchingExactlyKOrFewerItems_ReturnsAllOfThem()
    {
        var (index, _, ids, queries) = Shared.Value;
        var ten = new[] { ids[3], ids[4_000], ids[9_999], ids[12], ids[17_321], ids[5], ids[800], ids[19_999], ids[6_543], ids[11_111] }.ToHashSet();
        var three = ten.Take(3).ToHashSet();
        var query = queries.AsSpan(0, Dim);
        Assert.Equal(ten.Order(), index.Search(query, 10, new SearchParams(Filter: SearchFilter.Where(ten.Contains))).Select(n => n.Id).Order());
        Assert.Equal(three.Order(), index.Search(query, 10, new SearchParams(Filter: SearchFilter.AllowIds(three))).Select(n => n.Id).Order());
        Assert.Empty(index.Search(query, 10, new SearchParams(Filter: SearchFilter.Where(_ => false))));
    }

    [Fact]
    public void MisleadingHint_HitsTheVisitBudget_AndStillReturnsTheExactAnswer()
    {
        var (index, data, ids, queries) = Shared.Value;
        var allowed = ids.Where((_, i) => i % 1_000 == 17).ToHashSet(); // 20 items, but the hint claims 2,000
        var filter = SearchFilter.Where(allowed.Contains, estimatedMatches: 2_000);
        var query = queries.AsSpan(Dim, Dim);
        var found = index.Search(query, 15, new SearchParams(Ef: 16, Filter: filter));
        Assert.Equal(VectorData.ExactTopK(data, ids, Dim, query, 15, VectorMetric.SquaredL2, NotMatching(ids, allowed.Contains)), found.Select(n => n.Id));
    }

    [Fact]
    public void FilterAndDeletes_Combine()
    {
        var data = VectorData.RandomUnit(3_000, Dim, seed: 34);
        var ids = VectorData.Ids(3_000);
        var index = new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 8, EfConstruction: 80));
        index.Add(data, ids);
        var removed = ids.Where((_, i) => i % 4 == 0).ToHashSet();
        foreach (long id in removed) index.Remove(id);
        Func<long, bool> keep = id => id % 3 != 0;
        var excluded = NotMatching(ids, keep);
        excluded.UnionWith(removed);
        var queries = VectorData.RandomUnit(20, Dim, seed: 35);
        for (int q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var found = index.Search(query, 10, new SearchParams(Ef: 200, Filter: SearchFilter.Where(keep)));
            Assert.Equal(10, found.Length);
            Assert.DoesNotContain(found, n => excluded.Contains(n.Id));
            Assert.Equal(VectorData.ExactTopK(data, ids, Dim, query, 10, VectorMetric.Cosine, excluded),
                index.Search(query, 10, new SearchParams(Filter: SearchFilter.Where(keep), Exact: true)).Select(n => n.Id));
        }
    }
}
