using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>Our <see cref="HnswIndex"/>, in this process; the load probe runs `retrieval-bench index-load` in a fresh one.</summary>
public sealed class IndexPeerOurs(IndexBenchSettings settings, string variant) : IndexPeer($"ours-{variant}", settings)
{
    private HnswIndex? _index;

    /// <inheritdoc />
    public override IndexBuildStats Build(IndexDataset d, IndexDatasetFiles files)
    {
        var options = new HnswOptions(M: Settings.M, EfConstruction: Settings.EfConstruction, InitialCapacity: d.Count, BuildThreads: Settings.BuildThreads);
        _index = new HnswIndex(d.Dimension, d.Metric, options);
        var ids = new long[d.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = i;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        _index.Add(d.Data, ids);
        double build = clock.Elapsed.TotalSeconds;
        double buildCpu = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        string path = IndexPath(files);
        clock.Restart();
        _index.Save(path);
        return new IndexBuildStats(build, buildCpu, clock.Elapsed.TotalSeconds, new FileInfo(path).Length);
    }

    /// <inheritdoc />
    public override IndexBenchRow Measure(IndexDataset d, IndexDatasetFiles files, int ef)
    {
        var index = _index ?? throw new InvalidOperationException("Build first.");
        var p = new SearchParams(ef);
        return MeasureInProcess(d, ef, q => Ids(index.Search(d.Query(q), d.K, p)));
    }

    /// <inheritdoc />
    public override IndexLoadStats ProbeLoad(IndexDataset d, IndexDatasetFiles files) =>
        IndexLoadStats.FromJson(IndexProcess.RunJson(Environment.ProcessPath!, ["index-load", "--library", "ours", "--index", IndexPath(files)], ""));

    /// <inheritdoc />
    public override void Dispose()
    {
        _index = null;
        base.Dispose();
    }

    private static long[] Ids(Neighbor[] found)
    {
        var ids = new long[found.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = found[i].Id;
        return ids;
    }
}
