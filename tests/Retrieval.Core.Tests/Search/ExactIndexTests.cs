using Retrieval.Core.Search;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Search;

public sealed class ExactIndexTests : TempTreeTest
{
    private static ExactIndex Build()
    {
        var index = new ExactIndex(2);
        index.Add([1, 0, 0, 1, 0.6f, 0.8f, -1, 0], [10, 20, 30, 40]);
        return index;
    }

    [Fact]
    public void SearchReturnsCallerIdsByCosineDistance()
    {
        var hits = Build().Search([0.8f, 0.6f], 3);
        // dots: id10 0.8, id20 0.6, id30 0.96, id40 -0.8 -> distances 0.2, 0.4, 0.04, 1.8
        Assert.Equal([30L, 10, 20], hits.Select(h => h.Id));
        Assert.Equal(0.04f, hits[0].Distance, 5);
    }

    [Fact]
    public void TiesAtTheKBoundaryGoToTheSmallerIdWhateverTheInsertionOrder()
    {
        // Three identical vectors inserted as ids 9, 5, 7: all tie, so k = 2 keeps ids 5 and 7, in that order.
        var index = new ExactIndex(2);
        index.Add([1, 0, 1, 0, 1, 0], [9, 5, 7]);
        Assert.Equal([5L, 7], index.Search([1, 0], 2).Select(h => h.Id));
    }

    [Fact]
    public void RemovedIdsNeverComeBackAndReAddReplaces()
    {
        var index = Build();
        Assert.True(index.Remove(30));
        Assert.False(index.Remove(30));
        Assert.DoesNotContain(index.Search([0.8f, 0.6f], 4), h => h.Id == 30);
        index.Add([0, -1], [10]);
        Assert.Equal(3, index.Count);
        Assert.Equal(10L, index.Search([0, -1], 1)[0].Id);
    }

    [Fact]
    public void SaveLoadGivesIdenticalResults()
    {
        var index = Build();
        index.Remove(20);
        string path = Path.Combine(Tree.Root, "g.idx");
        index.Save(path);
        var loaded = ExactIndex.Load(path);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.Search([0.3f, 0.7f], 3), loaded.Search([0.3f, 0.7f], 3));
        Assert.Empty(Directory.GetFiles(Tree.Root, "*.tmp*"));
    }

    [Fact]
    public void CorruptAndTruncatedFilesAreRefused()
    {
        string path = Path.Combine(Tree.Root, "g.idx");
        Build().Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^9]);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ExactIndex.Load(path)).Message);
        bytes[30] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => ExactIndex.Load(path));
        File.WriteAllBytes(path, "hello"u8.ToArray());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ExactIndex.Load(path)).Message);
    }

    [Fact]
    public void CosineRanksUnnormalisedVectorsAsHnswDoes()
    {
        // Lengths 1..20: an unnormalised dot product would prefer long vectors; cosine must not.
        const int n = 300, dim = 12;
        var rng = new Random(4);
        var data = VectorData.RandomUnit(n, dim, 8);
        for (int i = 0; i < n; i++)
        {
            float scale = 1 + 19 * (float)rng.NextDouble();
            for (int j = 0; j < dim; j++) data[i * dim + j] *= scale;
        }
        var ids = Enumerable.Range(0, n).Select(i => (long)i * 3).ToArray();
        var exact = new ExactIndex(dim);
        exact.Add(data, ids);
        var hnsw = new HnswIndex(dim, VectorMetric.Cosine, new HnswOptions(M: 16, EfConstruction: 200));
        hnsw.Add(data, ids);
        var queries = VectorData.RandomUnit(20, dim, 9);
        for (int q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * dim, dim).ToArray();
            for (int j = 0; j < dim; j++) query[j] *= 7;
            var truth = exact.Search(query, 5);
            var approx = hnsw.Search(query, 5, new SearchParams(n));
            Assert.Equal(truth.Select(h => h.Id), approx.Select(h => h.Id));
            Assert.Equal(truth.Select(h => h.Distance), approx.Select(h => h.Distance), (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.InRange(truth[0].Distance, 0f, 2f);
        }
    }

    [Fact]
    public void ZeroVectorsAreRefusedForCosine()
    {
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => new ExactIndex(2).Add([0, 0], [1])).Message);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => Build().Search([0, 0], 1)).Message);
        new ExactIndex(2, VectorMetric.SquaredL2).Add([0, 0], [1]);
    }

    [Fact]
    public void WrongDimensionAndNonFiniteValuesAreRejected()
    {
        var index = Build();
        Assert.Throws<ArgumentException>(() => index.Search([1, 0, 0], 1));
        Assert.Throws<ArgumentException>(() => index.Add([float.NaN, 0], [1]));
    }
}
