using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>Searches running on several threads while another thread adds, replaces and removes items.</summary>
public class HnswConcurrencyTests
{
    private const int Dim = 32;

    [Fact]
    public async Task SearchWhileAdding_GivesValidResults_AndFinalRecallIsGood()
    {
        const int n = 6000, batch = 250;
        var data = VectorData.RandomUnit(n, Dim, seed: 21);
        var ids = VectorData.Ids(n);
        var index = new HnswIndex(Dim, VectorMetric.Cosine, new HnswOptions(M: 12, EfConstruction: 100, InitialCapacity: 64, BuildThreads: 2));
        index.Add(data.AsSpan(0, batch * Dim), ids.AsSpan(0, batch));
        var known = ids.ToHashSet();
        var queries = VectorData.RandomUnit(64, Dim, seed: 22);
        var removed = new HashSet<long>();
        using var done = new CancellationTokenSource();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int searches = 0;

        using var started = new CountdownEvent(3);
        var searchers = Enumerable.Range(0, 3).Select(t => Task.Factory.StartNew(() =>
        {
            int q = t;
            while (!done.IsCancellationRequested)
            {
                var found = index.Search(queries.AsSpan(q++ % 64 * Dim, Dim), 10, new SearchParams(32));
                Interlocked.Increment(ref searches);
                if (found.Length != 10) errors.Enqueue($"{found.Length} results");
                if (found.Select(x => x.Id).Distinct().Count() != found.Length) errors.Enqueue("duplicate id");
                if (found.Any(x => !known.Contains(x.Id) || !float.IsFinite(x.Distance))) errors.Enqueue("unknown id or bad distance");
                for (int i = 1; i < found.Length; i++)
                    if (found[i].Distance < found[i - 1].Distance) errors.Enqueue("not sorted");
                if (q - t == 1) started.Signal();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        started.Wait(TimeSpan.FromSeconds(30));

        for (int start = batch; start < n; start += batch)
        {
            index.Add(data.AsSpan(start * Dim, batch * Dim), ids.AsSpan(start, batch));
            index.Add(data.AsSpan(start * Dim, Dim), ids.AsSpan(start, 1)); // replace an id with the same vector
            index.Remove(ids[start + 1]);
            removed.Add(ids[start + 1]);
        }
        done.Cancel();
        await Task.WhenAll(searchers);

        Assert.True(errors.IsEmpty, string.Join("; ", errors.Distinct().Take(5)));
        Assert.True(searches > 3, $"{searches} searches");
        Assert.Equal(n - removed.Count, index.Count);
        Assert.True(VectorData.Recall(index, data, ids, queries, 10, 100, removed) >= 0.97);
        for (int q = 0; q < 64; q++)
            Assert.DoesNotContain(index.Search(queries.AsSpan(q * Dim, Dim), 10, new SearchParams(100)), x => removed.Contains(x.Id));
    }

    [Fact]
    public async Task SearchWhileReplacing_ReusedSlotsNeverGiveTornOrStaleResults()
    {
        const int n = 2_000;
        var ids = VectorData.Ids(n);
        var a = VectorData.RandomUnit(n, Dim, seed: 23);
        var b = VectorData.RandomUnit(n, Dim, seed: 24);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 60, InitialCapacity: n, BuildThreads: 1));
        index.Add(a, ids);
        var row = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var queries = VectorData.RandomUnit(32, Dim, seed: 25);
        using var done = new CancellationTokenSource();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        int searches = 0;
        var searchers = Enumerable.Range(0, 2).Select(t => Task.Factory.StartNew(() =>
        {
            for (int q = t; !done.IsCancellationRequested; q++)
            {
                var query = queries.AsSpan(q % 32 * Dim, Dim);
                var found = index.Search(query, 10, new SearchParams(q % 3 == 0 ? 10 : 40, Exact: q % 7 == 0));
                Interlocked.Increment(ref searches);
                if (found.Select(x => x.Id).Distinct().Count() != found.Length) errors.Enqueue("duplicate id");
                foreach (var hit in found)
                {
                    int r = row[hit.Id];
                    float da = VectorDistance.SquaredL2(query, a.AsSpan(r * Dim, Dim)), db = VectorDistance.SquaredL2(query, b.AsSpan(r * Dim, Dim));
                    if (Math.Abs(hit.Distance - da) > 1e-4 && Math.Abs(hit.Distance - db) > 1e-4) errors.Enqueue($"id {hit.Id}: distance {hit.Distance} is neither {da} nor {db}");
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        for (int round = 0; round < 6; round++)
        {
            var source = round % 2 == 0 ? b : a;
            for (int start = 0; start < n; start += 50)
            {
                index.Add(source.AsSpan(start * Dim, 50 * Dim), ids.AsSpan(start, 50));
                index.Remove(ids[start + 7]);
                index.Add(source.AsSpan((start + 7) * Dim, Dim), ids.AsSpan(start + 7, 1));
            }
        }
        done.Cancel();
        await Task.WhenAll(searchers);

        Assert.True(errors.IsEmpty, string.Join("; ", errors.Distinct().Take(5)));
        Assert.True(searches > 10, $"{searches} searches");
        Assert.Equal(n, index.Count);
        Assert.True(index.Capacity <= 2 * n, $"capacity {index.Capacity}");
        Assert.True(VectorData.Recall(index, a, ids, queries, 10, 100) >= 0.95); // six rounds end on vectors a
    }
    [Fact]
    public void ASlotReusedWhileResultsAreCollected_IsNeverReportedWithItsFormerVectorsDistance()
    {
        // The race, made deterministic: the walk scores id 5's slot; before its ids are read, id 5 is removed and its
        // slot reused by id 1000 far away. Reporting the slot's new id with the walk's distance would give id 1000 at 0.
        var data = VectorData.RandomUnit(100, Dim, seed: 26);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 40, InitialCapacity: 128, BuildThreads: 1));
        index.Add(data, Enumerable.Range(0, 100).Select(i => (long)i).ToArray());
        var far = Enumerable.Repeat(10f, Dim).ToArray();
        var query = data.AsSpan(5 * Dim, Dim).ToArray();
        var reused = ReuseSlotOfFiveWhileCollecting(index, far);

        var found = index.Search(query, 10, new SearchParams(40));

        Assert.True(reused());
        Assert.Equal(100, index.Count);
        foreach (var hit in found)
        {
            var vector = hit.Id == 1000 ? far : data.AsSpan((int)hit.Id * Dim, Dim).ToArray();
            Assert.Equal(VectorDistance.SquaredL2(query, vector), hit.Distance, 4);
        }
        Assert.DoesNotContain(found, x => x.Id == 5);
        Assert.Equal(10, found.Length);
    }
    [Fact]
    public void ASlotReusedWhileResultsAreCollected_NeverGivesAQuantisedFilteredSearchAnIdOutsideTheFilter()
    {
        // As above on an 8-bit index (re-scored anyway) with a filter: the walk admitted id 5; its slot now holds id 1000,
        // which the filter excludes, so it must not come back.
        var data = VectorData.RandomUnit(100, Dim, seed: 27);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 8, EfConstruction: 40, InitialCapacity: 128, BuildThreads: 1, Storage: VectorStorage.Int8));
        index.Add(data, Enumerable.Range(0, 100).Select(i => (long)i).ToArray());
        var query = data.AsSpan(5 * Dim, Dim).ToArray();
        var reused = ReuseSlotOfFiveWhileCollecting(index, query); // the same vector: id 1000 would rank first

        var found = index.Search(query, 10, new SearchParams(40, Filter: SearchFilter.Where(id => id < 1000)));

        Assert.True(reused());
        Assert.DoesNotContain(found, x => x.Id >= 1000 || x.Id == 5);
        Assert.Equal(10, found.Length);
    }

    /// <summary>The index's next result collection finds id 5's slot reused by id 1000 with <paramref name="vector"/>; returns whether that happened.</summary>
    private static Func<bool> ReuseSlotOfFiveWhileCollecting(HnswIndex index, float[] vector)
    {
        bool reused = false;
        index.BeforeCollect = () =>
        {
            if (reused) return;
            reused = true;
            Assert.True(index.Remove(5));
            index.Add(vector, [1000]);
        };
        return () => reused;
    }
}
