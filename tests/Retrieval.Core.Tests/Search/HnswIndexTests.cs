using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Behaviour of the HNSW index: ids, deletes, replacement, growth, argument checks.</summary>
public class HnswIndexTests
{
    private const int Dim = 16;

    private static HnswIndex Build(int n, out float[] data, out long[] ids, VectorMetric metric = VectorMetric.Cosine, HnswOptions? options = null)
    {
        data = VectorData.RandomUnit(n, Dim, seed: 5);
        ids = VectorData.Ids(n);
        var index = new HnswIndex(Dim, metric, options ?? new HnswOptions(M: 8, EfConstruction: 100, InitialCapacity: 16));
        index.Add(data, ids);
        return index;
    }

    [Fact]
    public void SmallIndex_MatchesBruteForce_WithCallerIds_AndDistances()
    {
        var index = Build(500, out var data, out var ids, VectorMetric.SquaredL2);
        var query = VectorData.RandomUnit(1, Dim, seed: 99);
        var found = index.Search(query, 10, new SearchParams(Ef: 500));
        Assert.Equal(VectorData.ExactTopK(data, ids, Dim, query, 10, VectorMetric.SquaredL2), found.Select(n => n.Id));
        int row = Array.IndexOf(ids, found[0].Id);
        double d = 0;
        for (int j = 0; j < Dim; j++) d += Math.Pow(data[row * Dim + j] - query[j], 2);
        Assert.Equal(d, found[0].Distance, 4);
        Assert.True(found.Zip(found.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
    }

    [Fact]
    public void Cosine_NormalisesVectors_AndReportsOneMinusCosine()
    {
        var index = new HnswIndex(2, VectorMetric.Cosine);
        index.Add([3, 0, 0, 5, 1, 1], [10, 20, 30]);
        var found = index.Search([2, 0], 3);
        Assert.Equal([10L, 30L, 20L], found.Select(n => n.Id));
        Assert.Equal(0f, found[0].Distance, 5);
        Assert.Equal(1 - 1 / Math.Sqrt(2), found[1].Distance, 5);
        Assert.Equal(1f, found[2].Distance, 5);
    }

    [Fact]
    public void EqualDistances_AreOrderedBySmallerId()
    {
        var index = new HnswIndex(2, VectorMetric.SquaredL2);
        index.Add([1, 0, 0, 1, -1, 0, 0, -1], [40, 30, 20, 10]);
        Assert.Equal([10L, 20L, 30L, 40L], index.Search([0, 0], 4).Select(n => n.Id));
    }

    [Fact]
    public void RemovedIds_AreNeverReturned_AndRemoveReportsUnknownIds()
    {
        var index = Build(600, out var data, out var ids);
        var removed = ids.Where((_, i) => i % 3 == 0).ToHashSet();
        foreach (long id in removed) Assert.True(index.Remove(id));
        Assert.False(index.Remove(ids[0]));
        Assert.False(index.Remove(-5));
        Assert.Equal(600 - removed.Count, index.Count);
        var queries = VectorData.RandomUnit(50, Dim, seed: 6);
        for (int q = 0; q < 50; q++)
        {
            var found = index.Search(queries.AsSpan(q * Dim, Dim), 20, new SearchParams(Ef: 50));
            Assert.Equal(20, found.Length);
            Assert.DoesNotContain(found, n => removed.Contains(n.Id));
        }
        Assert.True(VectorData.Recall(index, data, ids, queries, 10, 100, removed) >= 0.95);
    }

    [Fact]
    public void RemovingEverything_ReturnsNoResults()
    {
        var index = Build(50, out _, out var ids);
        foreach (long id in ids) index.Remove(id);
        Assert.Empty(index.Search(new float[Dim].Select((_, i) => i + 1f).ToArray(), 5));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void AddingAnExistingId_ReplacesItsVector()
    {
        var index = new HnswIndex(2, VectorMetric.SquaredL2);
        index.Add([0, 0, 10, 10], [1, 2]);
        index.Add([10, 10.5f], [1]);
        Assert.Equal(2, index.Count);
        var found = index.Search([10, 10.4f], 5);
        Assert.Equal([1L, 2L], found.Select(n => n.Id));
        Assert.Equal(0.01f, found[0].Distance, 4);
    }

    [Fact]
    public void GrowsBeyondInitialCapacity_AcrossIncrementalBatches()
    {
        var data = VectorData.RandomUnit(1000, Dim, seed: 7);
        var ids = VectorData.Ids(1000);
        var index = new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 8, InitialCapacity: 1));
        for (int start = 0; start < 1000; start += 97)
        {
            int n = Math.Min(97, 1000 - start);
            index.Add(data.AsSpan(start * Dim, n * Dim), ids.AsSpan(start, n));
        }
        Assert.Equal(1000, index.Count);
        Assert.True(index.Capacity >= 1000);
        Assert.True(VectorData.Recall(index, data, ids, VectorData.RandomUnit(50, Dim, seed: 8), 10, 200) >= 0.95);
    }

    [Fact]
    public void EmptyIndex_ReturnsNothing()
    {
        Assert.Empty(new HnswIndex(Dim, VectorMetric.Cosine).Search(VectorData.RandomUnit(1, Dim, 1), 3));
    }

    [Fact]
    public void BadArguments_ThrowArgumentException_NamingTheProblem()
    {
        var index = Build(20, out _, out _);
        var q = VectorData.RandomUnit(1, Dim, 1);
        Assert.Contains("dimension is 16", Assert.Throws<ArgumentException>(() => index.Search(new float[Dim + 1], 3)).Message);
        Assert.Contains("k must be positive", Assert.Throws<ArgumentException>(() => index.Search(q, 0)).Message);
        Assert.Contains("Ef", Assert.Throws<ArgumentException>(() => index.Search(q, 3, new SearchParams(-1))).Message);
        var nan = (float[])q.Clone();
        nan[4] = float.NaN;
        Assert.Contains("non-finite value (NaN) at position 4", Assert.Throws<ArgumentException>(() => index.Search(nan, 3)).Message);
        Assert.Contains("row 0 (id 1) has a non-finite", Assert.Throws<ArgumentException>(() => index.Add(nan, [1])).Message);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => index.Add(new float[Dim], [1])).Message);
        Assert.Contains("Expected 2 x 16", Assert.Throws<ArgumentException>(() => index.Add(q, [1, 2])).Message);
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => index.Add([.. q, .. q], [3, 3])).Message);
        Assert.Contains("HnswOptions.M", Assert.Throws<ArgumentException>(() => new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 1))).Message);
        Assert.Throws<ArgumentException>(() => new HnswIndex(0, VectorMetric.Cosine));
        Assert.Equal(20, index.Count); // failed adds left nothing behind
    }

    [Fact]
    public void SearchUsesAtLeastKAsBeam()
    {
        var index = Build(300, out var data, out var ids, VectorMetric.SquaredL2);
        var query = VectorData.RandomUnit(1, Dim, seed: 3);
        var found = index.Search(query, 50, new SearchParams(Ef: 1));
        Assert.Equal(50, found.Length);
        Assert.Equal(50, found.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public void SameSeedAndSequentialBuild_GiveIdenticalResults()
    {
        var options = new HnswOptions(M: 8, EfConstruction: 50, BuildThreads: 1);
        var a = Build(400, out _, out _, options: options);
        var b = Build(400, out _, out _, options: options);
        var q = VectorData.RandomUnit(1, Dim, seed: 4);
        Assert.Equal(a.Search(q, 10, new SearchParams(10)), b.Search(q, 10, new SearchParams(10)));
    }
}
