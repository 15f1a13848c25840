using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>Measures our HNSW index: build time with all threads, then recall@k and queries/s per ef (best of several passes).</summary>
public static class IndexBenchmark
{
    /// <summary>Builds and queries the index; ids are row numbers so results compare directly with the exact rows in truth.</summary>
    public static IndexBenchSide Run(float[] data, float[] queries, long[] truth, int dim, VectorMetric metric,
        int m, int efConstruction, IReadOnlyList<int> efs, int k, int threads, int repeats)
    {
        int n = data.Length / dim, nq = queries.Length / dim;
        var index = new HnswIndex(dim, metric, new HnswOptions(M: m, EfConstruction: efConstruction, InitialCapacity: n, BuildThreads: threads));
        var ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        var clock = Stopwatch.StartNew();
        index.Add(data, ids);
        double build = clock.Elapsed.TotalSeconds;
        BenchLog.Step($"ours: built {n:N0} x {dim} in {build:F1} s");

        var rows = new List<IndexBenchRow>();
        var results = new Neighbor[nq][];
        var warm = Stopwatch.StartNew(); // let tiered JIT finish before timing
        while (warm.Elapsed.TotalSeconds < 2)
            for (int q = 0; q < nq; q++) index.Search(queries.AsSpan(q * dim, dim), k, new SearchParams(efs.Max()));
        foreach (int ef in efs)
        {
            var p = new SearchParams(ef);
            double single = BestQps(nq, repeats, () => { for (int q = 0; q < nq; q++) results[q] = index.Search(queries.AsSpan(q * dim, dim), k, p); });
            double all = BestQps(nq, repeats, () => Parallel.For(0, nq, new ParallelOptions { MaxDegreeOfParallelism = threads },
                q => results[q] = index.Search(queries.AsSpan(q * dim, dim), k, p)));
            rows.Add(new IndexBenchRow(ef, Recall(results, truth, k), single, all));
        }
        return new IndexBenchSide("RetrievalSystem HnswIndex", build, rows);
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
