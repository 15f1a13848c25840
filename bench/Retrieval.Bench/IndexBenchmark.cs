using System.Globalization;

namespace Retrieval.Bench;

/// <summary>
/// Runs every library on one data set: builds each, then per ef measures them one after the other (so all see the
/// same machine load), then loads each saved index in a fresh process for load time and memory.
/// </summary>
public static class IndexBenchmark
{
    /// <summary>The libraries of a run: our variants first, then the peers, in the order given.</summary>
    public static List<IndexPeer> Peers(IndexBenchSettings s, IndexDataset d)
    {
        var peers = new List<IndexPeer>();
        foreach (string v in s.Ours) peers.Add(new IndexPeerOurs(s, v));
        foreach (string p in s.Peers)
        {
            switch (p)
            {
                case "hnswlib-native": peers.Add(IndexPeerHnswlib.Native(s)); break;
                case "hnswlib-python": peers.Add(IndexPeerHnswlib.Python(s)); break;
                case "usearch" or "usearch-f32": peers.Add(new IndexPeerUSearch(s, "f32")); break;
                case "usearch-f16": peers.Add(new IndexPeerUSearch(s, "f16")); break;
                // USearch casts f32 to i8 assuming values in [-1, 1]: only meaningful for normalised (cosine) data.
                case "usearch-i8" when d.Metric == Core.Search.VectorMetric.Cosine: peers.Add(new IndexPeerUSearch(s, "i8")); break;
                case "usearch-i8": break;
                default: throw new ArgumentException($"--peers: unknown library '{p}'.");
            }
        }
        return peers;
    }

    /// <summary>Measures every library on the data set.</summary>
    public static IndexBenchResult Run(IndexDataset d, IndexBenchSettings s, bool keepFiles)
    {
        var files = IndexDatasetFiles.Write(d, s.Output);
        var peers = Peers(s, d);
        try
        {
            string loadBefore = LoadAverage();
            var builds = new Dictionary<IndexPeer, IndexBuildStats>();
            foreach (var peer in peers)
            {
                BenchLog.Step($"{d.Name}: {peer.Name}: build (M={s.M}, efConstruction={s.EfConstruction}, {s.BuildThreads} threads)");
                builds[peer] = peer.Build(d, files);
                BenchLog.Step($"{d.Name}: {peer.Name}: built in {builds[peer].BuildSeconds:F1} s ({builds[peer].BuildCpuSeconds:F1} CPU-s), saved in {builds[peer].SaveSeconds:F2} s ({builds[peer].FileBytes / (double)d.Count:F0} bytes/vector on disk)");
            }
            var rows = peers.ToDictionary(p => p, _ => new List<IndexBenchRow>());
            foreach (int ef in s.Efs)
            {
                foreach (var peer in peers) rows[peer].Add(peer.Measure(d, files, ef));
                BenchLog.Step($"{d.Name}: ef {ef}: " + string.Join(", ", peers.Select(p => $"{p.Name} {rows[p][^1].Recall:F4} @ {rows[p][^1].Qps1:N0} q/s ({rows[p][^1].Qps1Cpu:N0} per CPU-s)")));
            }
            var sides = new List<IndexBenchSide>();
            foreach (var peer in peers)
            {
                var load = peer.ProbeLoad(d, files);
                BenchLog.Step($"{d.Name}: {peer.Name}: loaded in {load.LoadSeconds:F2} s, {load.RssBytes / (double)d.Count:F0} resident bytes/vector");
                sides.Add(new IndexBenchSide(peer.Name, builds[peer], load, rows[peer]));
            }
            return new IndexBenchResult(d.Name, d.Description, d.Count, d.Dimension, d.QueryCount, d.Metric.ToString(), s.M, s.EfConstruction, d.K,
                s.Threads, s.BuildThreads, loadBefore, LoadAverage(), sides);
        }
        finally
        {
            foreach (var peer in peers) peer.Dispose();
            if (!keepFiles) files.Delete();
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages (what `uptime` prints).</summary>
    public static string LoadAverage()
    {
        var (one, five, fifteen) = MachineLoad.Read();
        return string.Create(CultureInfo.InvariantCulture, $"{one:F2} {five:F2} {fifteen:F2}");
    }
}
