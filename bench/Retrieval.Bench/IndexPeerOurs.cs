using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>
/// Our <see cref="HnswIndex"/> in this process, storing f32, f16 or 8-bit vectors. After the build it is saved and
/// searched as loaded back from that file — quantised variants with their full-precision vectors mapped from the file
/// (the memory-saving set-up); the load probe runs `retrieval-bench index-load` in a fresh process.
/// </summary>
public sealed class IndexPeerOurs(IndexBenchSettings settings, string variant) : IndexPeer($"ours-{variant}", settings)
{
    private HnswIndex? _index;

    /// <summary>The storage of a variant name.</summary>
    public static VectorStorage Storage(string variant) => variant switch
    {
        "f32" => VectorStorage.Float32,
        "f16" => VectorStorage.Float16,
        "i8" => VectorStorage.Int8,
        _ => throw new ArgumentException($"Unknown variant '{variant}' of ours (f32, f16, i8)."),
    };

    /// <inheritdoc />
    public override IndexBuildStats Build(IndexDataset d, IndexDatasetFiles files)
    {
        var options = new HnswOptions(M: Settings.M, EfConstruction: Settings.EfConstruction, InitialCapacity: d.Count,
            BuildThreads: Settings.BuildThreads, Storage: Storage(variant));
        var ids = new long[d.Count];
        for (int i = 0; i < ids.Length; i++) ids[i] = i;
        double build, buildCpu, save;
        string path = IndexPath(files);
        using (var index = new HnswIndex(d.Dimension, d.Metric, options))
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            index.Add(d.Data, ids);
            build = clock.Elapsed.TotalSeconds;
            buildCpu = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
            clock.Restart();
            index.Save(path);
            save = clock.Elapsed.TotalSeconds;
        }
        _index = HnswIndex.Load(path, mapFullVectors: options.Storage != VectorStorage.Float32);
        return new IndexBuildStats(build, buildCpu, save, new FileInfo(path).Length);
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
        _index?.Dispose();
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
