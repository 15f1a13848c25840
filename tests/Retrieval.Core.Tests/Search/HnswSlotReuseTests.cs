using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Deleted and replaced slots are reused: capacity stays put under churn, and the graph stays searchable around reused slots.</summary>
public class HnswSlotReuseTests
{
    private const int Dim = 16;

    [Fact]
    public void ReAddingIds_OneAtATime_ReusesTheirSlots_CapacityStaysPut()
    {
        var data = VectorData.RandomUnit(1_000, Dim, seed: 51);
        var ids = VectorData.Ids(1_000);
        var index = new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 8, EfConstruction: 60, InitialCapacity: 1_024));
        index.Add(data, ids);
        var fresh = VectorData.RandomUnit(1_200, Dim, seed: 52);
        for (int i = 0; i < 1_200; i++) index.Add(fresh.AsSpan(i * Dim, Dim), ids.AsSpan(i % 1_000, 1));

        Assert.Equal(1_000, index.Count);
        Assert.Equal(1_024, index.Capacity); // before slot reuse: 4,096
        var current = (float[])data.Clone();
        for (int i = 0; i < 1_200; i++) fresh.AsSpan(i * Dim, Dim).CopyTo(current.AsSpan(i % 1_000 * Dim));
        Assert.True(VectorData.Recall(index, current, ids, VectorData.RandomUnit(100, Dim, seed: 53), 10, 100) >= 0.95);
    }

    [Fact]
    public void ReAddingInBatches_AndDeletingThenAdding_ReusesSlots()
    {
        var ids = VectorData.Ids(1_000);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 60, InitialCapacity: 1_024));
        index.Add(VectorData.RandomUnit(1_000, Dim, seed: 54), ids);
        for (int round = 0; round < 12; round++)
            index.Add(VectorData.RandomUnit(100, Dim, seed: 60 + round), ids.AsSpan(round * 100 % 1_000, 100));
        Assert.Equal(2_048, index.Capacity); // one batch of 100 needs fresh slots once; later batches reuse
        foreach (long id in ids.Take(500)) index.Remove(id);
        var extra = VectorData.Ids(500, offset: 900_000);
        index.Add(VectorData.RandomUnit(500, Dim, seed: 80), extra);
        Assert.Equal(1_000, index.Count);
        Assert.Equal(2_048, index.Capacity);
    }

    [Fact]
    public void HeavyChurn_KeepsRecall_AndNeverReturnsStaleItems()
    {
        const int n = 3_000;
        var ids = VectorData.Ids(n);
        var current = VectorData.Clustered(n, Dim, clusters: 30, spread: 0.5, seed: 55, centreSeed: 56);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 80, InitialCapacity: n));
        index.Add(current, ids);
        var rng = new Random(57);
        for (int round = 0; round < 5; round++)
        {
            // Replace half of the items with vectors from elsewhere in space, delete and re-add another tenth.
            var replaced = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < 0.5).ToArray();
            var moved = VectorData.Clustered(replaced.Length, Dim, clusters: 30, spread: 0.5, seed: 100 + round, centreSeed: 56);
            index.Add(moved, replaced.Select(i => ids[i]).ToArray());
            for (int j = 0; j < replaced.Length; j++) moved.AsSpan(j * Dim, Dim).CopyTo(current.AsSpan(replaced[j] * Dim));
            var dropped = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < 0.1).ToArray();
            foreach (int i in dropped) index.Remove(ids[i]);
            index.Add(dropped.SelectMany(i => current.AsSpan(i * Dim, Dim).ToArray()).ToArray(), dropped.Select(i => ids[i]).ToArray());
        }
        Assert.Equal(n, index.Count);
        Assert.True(index.Capacity <= 2 * n, $"capacity {index.Capacity}");
        var queries = VectorData.Clustered(100, Dim, clusters: 30, spread: 0.5, seed: 58, centreSeed: 56);
        Assert.True(VectorData.Recall(index, current, ids, queries, 10, 100) >= 0.95);
        for (int q = 0; q < 100; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            foreach (var hit in index.Search(query, 10, new SearchParams(64)))
            {
                int row = Array.IndexOf(ids, hit.Id);
                Assert.Equal(VectorDistance.SquaredL2(query, current.AsSpan(row * Dim, Dim)), hit.Distance, 4);
            }
        }
    }
}
