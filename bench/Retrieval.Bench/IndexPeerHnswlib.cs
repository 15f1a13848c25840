namespace Retrieval.Bench;

/// <summary>
/// hnswlib in its own process: the native driver (bench/hnswlib/hnswlib_native.cpp, built with -O3 -march=native) or
/// Debian's python3-hnswlib (bench/hnswlib/bench_hnswlib.py). Both take the same build|search|load commands.
/// </summary>
public sealed class IndexPeerHnswlib : IndexPeer
{
    private readonly string _exe;
    private readonly string[] _prefix;
    private readonly string _hint;

    private IndexPeerHnswlib(string name, IndexBenchSettings settings, string exe, string[] prefix, string hint) : base(name, settings)
    {
        _exe = exe;
        _prefix = prefix;
        _hint = hint;
    }

    /// <summary>The C++ driver compiled for this CPU (make bench-index builds it).</summary>
    public static IndexPeerHnswlib Native(IndexBenchSettings s) =>
        new("hnswlib-native", s, s.Native, [], "make bench-index compiles it from bench/hnswlib/hnswlib_native.cpp against libhnswlib-dev");

    /// <summary>Debian's python3-hnswlib (compiled for SSE only).</summary>
    public static IndexPeerHnswlib Python(IndexBenchSettings s) =>
        new("hnswlib-python", s, s.Python, [s.Script], "is python3-hnswlib installed (make bench-index installs it)?");

    /// <inheritdoc />
    public override IndexBuildStats Build(IndexDataset d, IndexDatasetFiles files)
    {
        string path = IndexPath(files);
        var e = Run("build", "--data", files.Data, "--space", Space(d), "--m", $"{Settings.M}", "--ef-construction", $"{Settings.EfConstruction}",
            "--threads", $"{Settings.BuildThreads}", "--seed", "42", "--index", path);
        return new IndexBuildStats(e.GetProperty("buildSeconds").GetDouble(), e.GetProperty("buildCpuSeconds").GetDouble(),
            e.GetProperty("saveSeconds").GetDouble(), new FileInfo(path).Length);
    }

    /// <inheritdoc />
    public override IndexBenchRow Measure(IndexDataset d, IndexDatasetFiles files, int ef)
    {
        var e = Run("search", "--index", IndexPath(files), "--space", Space(d), "--dim", $"{d.Dimension}", "--queries", files.Queries,
            "--truth", files.Truth, "--k", $"{d.K}", "--ef", $"{ef}", "--threads", $"{Settings.Threads}", "--repeats", $"{Settings.Repeats}");
        return new IndexBenchRow(ef, e.GetProperty("recall").GetDouble(), e.GetProperty("qps1").GetDouble(), e.GetProperty("qpsAll").GetDouble(),
            e.GetProperty("qps1Cpu").GetDouble());
    }

    /// <inheritdoc />
    public override IndexLoadStats ProbeLoad(IndexDataset d, IndexDatasetFiles files) =>
        IndexLoadStats.FromJson(Run("load", "--index", IndexPath(files), "--space", Space(d), "--dim", $"{d.Dimension}"));

    private System.Text.Json.JsonElement Run(string mode, params string[] args) => IndexProcess.RunJson(_exe, [.. _prefix, mode, .. args], _hint);
}
