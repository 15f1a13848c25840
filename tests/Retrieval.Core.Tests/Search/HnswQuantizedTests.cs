using Retrieval.Core.Search;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Search;

/// <summary>f16 and 8-bit storage: recall against exact search, exact re-ranked distances, full-precision reads, save/load (read or mapped).</summary>
public sealed class HnswQuantizedTests : TempTreeTest
{
    private const int Dim = 48;
    private const int N = 6_000;

    private static (HnswIndex Index, float[] Data, long[] Ids) Build(VectorStorage storage, VectorMetric metric)
    {
        var data = VectorData.Clustered(N, Dim, clusters: 60, spread: 0.6, seed: 71, centreSeed: 72);
        var ids = VectorData.Ids(N);
        var index = new HnswIndex(Dim, metric, new HnswOptions(M: 12, EfConstruction: 100, InitialCapacity: N, Storage: storage));
        index.Add(data, ids);
        return (index, data, ids);
    }

    private static float[] Queries() => VectorData.Clustered(100, Dim, clusters: 60, spread: 0.6, seed: 73, centreSeed: 72);

    [Theory]
    [InlineData(VectorStorage.Float16, VectorMetric.Cosine)]
    [InlineData(VectorStorage.Float16, VectorMetric.SquaredL2)]
    [InlineData(VectorStorage.Int8, VectorMetric.Cosine)]
    [InlineData(VectorStorage.Int8, VectorMetric.SquaredL2)]
    public void RecallMatchesFloat32_AndDistancesAreExact(VectorStorage storage, VectorMetric metric)
    {
        var (index, data, ids) = Build(storage, metric);
        var (f32, _, _) = Build(VectorStorage.Float32, metric);
        var queries = Queries();
        double recall = VectorData.Recall(index, data, ids, queries, 10, 64), reference = VectorData.Recall(f32, data, ids, queries, 10, 64);
        Assert.True(recall >= 0.95, $"{storage} recall@10 {recall:F4}");
        Assert.True(recall >= reference - 0.01, $"{storage} recall@10 {recall:F4}, f32 {reference:F4}");
        var exact = new ExactIndex(Dim, metric);
        exact.Add(Normalized(data, metric), ids);
        for (int q = 0; q < 20; q++)
        {
            var query = Normalized(queries.AsSpan(q * Dim, Dim).ToArray(), metric);
            var hits = index.Search(query, 10, new SearchParams(64));
            foreach (var hit in hits) // re-ranked with the full-precision vectors: the exact distance of each id
                Assert.Equal(Distance(metric, query, Normalized(data.AsSpan(Array.IndexOf(ids, hit.Id) * Dim, Dim).ToArray(), metric)), hit.Distance, 1e-5);
            Assert.Equal(exact.Search(query, 10).Select(n => n.Id), index.Search(query, 10, new SearchParams(Exact: true)).Select(n => n.Id));
        }
        var v = new float[Dim];
        Assert.True(index.TryGetVector(ids[17], v));
        Assert.Equal(Normalized(data.AsSpan(17 * Dim, Dim).ToArray(), metric), v, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveThenLoad_ReadOrMapped_GivesIdenticalResults_AndAcceptsChanges(bool mapped)
    {
        var (index, data, ids) = Build(VectorStorage.Int8, VectorMetric.Cosine);
        string path = Path.Combine(Tree.Root, "i8.hnsw");
        index.Save(path);
        using var loaded = HnswIndex.Load(path, mapFullVectors: mapped);
        Assert.Equal(VectorStorage.Int8, loaded.Options.Storage);
        var queries = Queries();
        for (int q = 0; q < 30; q++)
            Assert.Equal(index.Search(queries.AsSpan(q * Dim, Dim), 10, new SearchParams(40)), loaded.Search(queries.AsSpan(q * Dim, Dim), 10, new SearchParams(40)));
        // Replacing an item whose full-precision vector is mapped keeps the file untouched and the new vector in memory.
        var before = File.ReadAllBytes(path);
        var moved = VectorData.RandomUnit(1, Dim, seed: 74);
        loaded.Add(moved, [ids[5]]);
        loaded.Add(VectorData.RandomUnit(1, Dim, seed: 75), [777_777]);
        var v = new float[Dim];
        Assert.True(loaded.TryGetVector(ids[5], v));
        Assert.Equal(moved, v, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(ids[5], loaded.Search(moved, 1, new SearchParams(64))[0].Id);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(N + 1, loaded.Count);
    }

    [Fact]
    public void Int8_And_Float16_TakeLessSpaceOnDiskThanFloat32PlusTheirFullVectors()
    {
        long Size(VectorStorage s)
        {
            string path = Path.Combine(Tree.Root, $"{s}.hnsw");
            Build(s, VectorMetric.Cosine).Index.Save(path);
            return new FileInfo(path).Length;
        }
        long f32 = Size(VectorStorage.Float32), f16 = Size(VectorStorage.Float16), i8 = Size(VectorStorage.Int8);
        // The quantised files hold the codes plus the full-precision vectors for re-ranking.
        Assert.Equal((long)N * (Dim * 2), f16 - f32, (double)N * 16);
        Assert.Equal((long)N * (Dim + 12), i8 - f32, (double)N * 16);
    }

    private static float[] Normalized(float[] v, VectorMetric metric)
    {
        if (metric != VectorMetric.Cosine) return v;
        var copy = (float[])v.Clone();
        for (int r = 0; r < copy.Length / Dim; r++)
        {
            var row = copy.AsSpan(r * Dim, Dim);
            float norm = MathF.Sqrt(VectorDistance.Dot(row, row));
            foreach (ref float x in row) x /= norm;
        }
        return copy;
    }

    private static float Distance(VectorMetric metric, float[] a, float[] b) =>
        metric == VectorMetric.Cosine ? 1f - VectorDistance.Dot(a, b) : VectorDistance.SquaredL2(a, b);
}
