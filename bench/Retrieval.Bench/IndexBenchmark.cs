using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>Measures our HNSW index: build time with all threads, then recall@k and queries/s at one ef (best of several passes).</summary>
public static class IndexBenchmark
{
    /// <summary>Builds the index with ids = row numbers, then runs untimed searches for 2 s so tiered JIT has finished.</summary>
    public static (HnswIndex Index, double Seconds) Build(float[] data, float[] queries, int dim, VectorMetric metric, IndexBenchSettings s)
    {
        int n = data.Length / dim;
        var index = new HnswIndex(dim, metric, new HnswOptions(M: s.M, EfConstruction: s.EfConstruction, InitialCapacity: n, BuildThreads: s.Threads));
        var ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        var clock = Stopwatch.StartNew();
        index.Add(data, ids);
        double seconds = clock.Elapsed.TotalSeconds;
        var warm = Stopwatch.StartNew();
        var p = new SearchParams(s.Efs.Max());
        while (warm.Elapsed.TotalSeconds < 2)
            for (int q = 0; q < queries.Length / dim; q++) index.Search(queries.AsSpan(q * dim, dim), s.K, p);
        return (index, seconds);
    }

    /// <summary>Recall@k and queries/s on one thread and on all threads at one ef.</summary>
    public static IndexBenchRow Measure(HnswIndex index, float[] queries, long[] truth, int ef, IndexBenchSettings s)
    {
        int dim = index.Dimension, nq = queries.Length / dim, k = s.K;
        var p = new SearchParams(ef);
        var results = new Neighbor[nq][];
        double single = BestQps(nq, s.Repeats, () => { for (int q = 0; q < nq; q++) results[q] = index.Search(queries.AsSpan(q * dim, dim), k, p); });
        double recall = Recall(results, truth, k);
        double all = BestQps(nq, s.Repeats, () => Parallel.For(0, nq, new ParallelOptions { MaxDegreeOfParallelism = s.Threads },
            q => results[q] = index.Search(queries.AsSpan(q * dim, dim), k, p)));
        return new IndexBenchRow(ef, recall, single, all);
    }

    /// <summary>Mean overlap of each result list with the exact top-k row numbers.</summary>
    public static double Recall(Neighbor[][] results, long[] truth, int k)
    {
        double sum = 0;
        for (int q = 0; q < results.Length; q++)
        {
            var exact = new ArraySegment<long>(truth, q * k, k);
            sum += results[q].Count(r => exact.Contains(r.Id)) / (double)k;
        }
        return sum / results.Length;
    }

    private static double BestQps(int queries, int repeats, Action pass)
    {
        pass(); // warm-up
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return queries / best;
    }
}
