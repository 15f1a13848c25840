using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>
/// One library (and storage variant) in the index benchmark: builds from the data set, then answers the queries at
/// one ef at a time (so the libraries can be alternated per ef), then loads its saved file in a fresh process.
/// </summary>
public abstract class IndexPeer(string name, IndexBenchSettings settings) : IDisposable
{
    /// <summary>Library and variant, e.g. "hnswlib-native" or "ours-i8".</summary>
    public string Name { get; } = name;

    /// <summary>The run's settings.</summary>
    protected IndexBenchSettings Settings { get; } = settings;

    /// <summary>The index file of this library for the data set.</summary>
    protected string IndexPath(IndexDatasetFiles files) => $"{files.Prefix}.{Name}.index";

    /// <summary>Builds with <see cref="IndexBenchSettings.BuildThreads"/> threads and saves the index.</summary>
    public abstract IndexBuildStats Build(IndexDataset d, IndexDatasetFiles files);

    /// <summary>Recall@k and queries/s at one ef.</summary>
    public abstract IndexBenchRow Measure(IndexDataset d, IndexDatasetFiles files, int ef);

    /// <summary>Load time and resident memory of the saved index, in a fresh process.</summary>
    public abstract IndexLoadStats ProbeLoad(IndexDataset d, IndexDatasetFiles files);

    /// <summary>Releases the library's index.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The distance name every library's helper understands: l2, or ip on normalised vectors for cosine.</summary>
    protected static string Space(IndexDataset d) => d.Metric == VectorMetric.Cosine ? "ip" : "l2";

    /// <summary>For in-process libraries: one warm-up pass, then the best of the timed passes on one thread and on all threads.</summary>
    protected IndexBenchRow MeasureInProcess(IndexDataset d, int ef, Func<int, long[]> search)
    {
        int nq = d.QueryCount;
        var found = new long[nq][];
        var (qps1, qps1Cpu) = BestQps(nq, () => { for (int q = 0; q < nq; q++) found[q] = search(q); });
        double recall = d.Recall(found);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Settings.Threads };
        var (qpsAll, _) = BestQps(nq, () => Parallel.For(0, nq, options, q => found[q] = search(q)));
        return new IndexBenchRow(ef, recall, qps1, qpsAll, qps1Cpu);
    }

    /// <summary>Queries per second of wall clock and per CPU-second of this process, each the best of the timed passes.</summary>
    private (double Wall, double Cpu) BestQps(int queries, Action pass)
    {
        pass();
        double wall = double.MaxValue, cpu = double.MaxValue;
        for (int r = 0; r < Settings.Repeats; r++)
        {
            var cpuStart = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            pass();
            wall = Math.Min(wall, clock.Elapsed.TotalSeconds);
            cpu = Math.Min(cpu, (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
        }
        return (queries / wall, queries / Math.Max(cpu, 1e-9));
    }
}
