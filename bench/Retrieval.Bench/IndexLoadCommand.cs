using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Cloud.Unum.USearch;
using Retrieval.Core.Search;

namespace Retrieval.Bench;

/// <summary>
/// `retrieval-bench index-load`: the load probe of the index benchmark, run in a fresh process. Loads one saved index
/// (ours or USearch) and prints {"loadSeconds", "loadCpuSeconds", "rssBytes", "rssAnonBytes"}: the resident memory the load added,
/// measured after a full, compacting collection so that only what the index keeps is counted. The file is loaded and
/// dropped once first, so the runtime's one-time costs (compiled code, type data) are not charged to the index.
/// </summary>
public static class IndexLoadCommand
{
    /// <summary>The command and its options.</summary>
    public static Command Create()
    {
        var library = new Option<string>("--library") { Description = "ours or usearch", Required = true };
        var index = new Option<string>("--index") { Description = "The saved index file", Required = true };
        var command = new Command("index-load", "Load one saved index in this fresh process; print load time and resident memory (JSON)") { library, index };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            string path = parse.GetValue(index)!;
            string kind = parse.GetValue(library)!;
            object Load() => kind switch
            {
                "ours" => HnswIndex.Load(path, mapFullVectors: true), // quantised indexes keep their full vectors in the file
                "usearch" => new USearchIndex(path, false),
                var other => throw new ArgumentException($"--library: unknown '{other}' (ours, usearch)."),
            };
            Release(Load());
            Collect();
            long rss = IndexLoadStats.Resident("VmRSS"), anon = IndexLoadStats.Resident("RssAnon");
            var cpu = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            object loaded = Load();
            double seconds = clock.Elapsed.TotalSeconds, cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
            Collect();
            long count = loaded switch { HnswIndex h => h.Count, USearchIndex u => (long)u.Size(), _ => 0 };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"loadSeconds\": {seconds:F6}, \"loadCpuSeconds\": {cpuSeconds:F6}, \"rssBytes\": {IndexLoadStats.Resident("VmRSS") - rss}, \"rssAnonBytes\": {IndexLoadStats.Resident("RssAnon") - anon}, \"count\": {count}}}"));
            GC.KeepAlive(loaded);
            return 0;
        });
        return command;
    }

    private static void Release(object index)
    {
        if (index is IDisposable d) d.Dispose();
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers(); // unmaps the huge-page chunks of a dropped index
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
