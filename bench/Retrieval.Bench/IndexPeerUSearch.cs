using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>
/// USearch (NuGet Cloud.Unum.USearch) in this process, storing f32, f16 or i8. Its .NET wrapper fixes the search
/// expansion at construction, so ef is changed through the C library's own usearch_change_expansion_search.
/// </summary>
public sealed partial class IndexPeerUSearch(IndexBenchSettings settings, string variant) : IndexPeer(variant == "f32" ? "usearch" : $"usearch-{variant}", settings)
{
    private USearchIndex? _index;

    /// <summary>The scalar kind of a variant name.</summary>
    public static ScalarKind Scalar(string variant) => variant switch
    {
        "f32" => ScalarKind.Float32,
        "f16" => ScalarKind.Float16,
        "i8" => ScalarKind.Int8,
        _ => throw new ArgumentException($"Unknown USearch variant '{variant}' (f32, f16, i8)."),
    };

    /// <summary>USearch's metric for ours: cosine, or squared L2.</summary>
    public static MetricKind Metric(VectorMetric metric) => metric == VectorMetric.Cosine ? MetricKind.Cos : MetricKind.L2sq;

    /// <inheritdoc />
    public override IndexBuildStats Build(IndexDataset d, IndexDatasetFiles files)
    {
        _index = new USearchIndex(Metric(d.Metric), Scalar(variant), (ulong)d.Dimension, (ulong)Settings.M, (ulong)Settings.EfConstruction, 64, false);
        usearch_reserve(Handle(_index), (nuint)d.Count, out var error);
        Check(error);
        int dim = d.Dimension;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, d.Count, new ParallelOptions { MaxDegreeOfParallelism = Settings.BuildThreads },
            i => _index.Add((ulong)i, d.Data.AsSpan(i * dim, dim).ToArray()));
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
        usearch_change_expansion_search(Handle(index), (nuint)Math.Max(ef, d.K), out var error);
        Check(error);
        var queries = Enumerable.Range(0, d.QueryCount).Select(q => d.Query(q).ToArray()).ToArray();
        return MeasureInProcess(d, ef, q =>
        {
            int n = index.Search(queries[q], d.K, out ulong[] keys, out _);
            return keys.Take(n).Select(k => (long)k).ToArray();
        });
    }

    /// <inheritdoc />
    public override IndexLoadStats ProbeLoad(IndexDataset d, IndexDatasetFiles files) =>
        IndexLoadStats.FromJson(IndexProcess.RunJson(Environment.ProcessPath!,
            ["index-load", "--library", "usearch", "--index", IndexPath(files)], ""));

    /// <inheritdoc />
    public override void Dispose()
    {
        _index?.Dispose();
        _index = null;
        base.Dispose();
    }

    /// <summary>The wrapper's native index handle (a private field of USearchIndex).</summary>
    private static IntPtr Handle(USearchIndex index) =>
        (IntPtr)(typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(index)
            ?? throw new InvalidOperationException("USearchIndex has no _index handle field (wrapper changed?)."));

    private static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero) throw new InvalidOperationException($"USearch: {Marshal.PtrToStringUTF8(error)}");
    }

    [LibraryImport("libusearch_c")]
    private static partial void usearch_change_expansion_search(IntPtr index, nuint expansion, out IntPtr error);

    [LibraryImport("libusearch_c")]
    private static partial void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);
}
