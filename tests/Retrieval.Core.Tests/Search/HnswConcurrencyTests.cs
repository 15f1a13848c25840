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
}
