using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Retrieval.Bench.Load;
using Retrieval.Cli.Client;
using Retrieval.V1;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// The durable gallery measured through the real server: fill an empty gallery with N items via UpsertVectors, time
/// single and 100-item upserts at that size, SIGKILL the server and time the restart to SERVING (snapshot load + log
/// replay), reading resident memory from /proc and the folder's size on disk.
/// </summary>
public static partial class DurableGalleryRun
{
    /// <summary>Runs one gallery size in <paramref name="folder"/> (created) with <paramref name="model"/>.</summary>
    public static async Task<GalleryBenchRow> RunAsync(GalleryBenchSettings s, string model, int n, string folder, SyntheticItems items)
    {
        string[] args = ["--model", model, "--index", folder, "--compact-after", s.CompactAfter.ToString(CultureInfo.InvariantCulture)];
        var compactions = new ConcurrentQueue<(int Items, double Seconds)>();
        void OnLine(string line)
        {
            var m = CompactionLine().Match(line);
            if (m.Success) compactions.Enqueue((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        }
        var timeout = TimeSpan.FromHours(2);
        double emptyStart, fillSeconds;
        long rssEmpty, rssAfterWrites;
        var single = new List<double>();
        var batch = new List<double>();
        await using (var server = await ServerProcess.StartAsync(s.ServerExe, args, timeout, _ => { }, OnLine))
        {
            emptyStart = server.StartToServing.TotalSeconds;
            rssEmpty = server.RssBytes();
            using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = null });
            var client = new V1.Retrieval.RetrievalClient(channel);
            var clock = Stopwatch.StartNew();
            BenchLog.Progress.Start($"durable, N={n:N0}: filling", n);
            for (int start = 0; start < n; start += s.LoadBatch)
            {
                await client.UpsertVectorsAsync(items.Request(start, Math.Min(s.LoadBatch, n - start)));
                int filled = Math.Min(n, start + s.LoadBatch);
                BenchLog.Progress.Report(filled, string.Create(CultureInfo.InvariantCulture, $"{filled / clock.Elapsed.TotalSeconds:F0} items/s"));
            }
            BenchLog.Progress.Finish();
            fillSeconds = clock.Elapsed.TotalSeconds;
            long next = n;
            for (int i = 0; i < s.Single; i++) single.Add(await TimeAsync(client, items.Request(next++, 1)));
            for (int i = 0; i < s.Batches; i++, next += 100) batch.Add(await TimeAsync(client, items.Request(next, 100)));
            rssAfterWrites = server.RssBytes();
        }
        int total = n + s.Single + 100 * s.Batches;
        BenchLog.Step($"durable, N={n:N0}: {total:N0} items; killed (SIGKILL), restarting");
        long replayed = 0;
        double restart;
        long rssRestarted;
        await using (var restarted = await ServerProcess.StartAsync(s.ServerExe, args, timeout, _ => { }, line =>
        {
            var m = LoadedLine().Match(line);
            if (m.Success) replayed = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (m.Success || line.Contains("Snapshot at sequence", StringComparison.Ordinal)) BenchLog.Step($"durable, N={n:N0}, restart: {line.Trim()}");
        }))
        {
            restart = restarted.StartToServing.TotalSeconds;
            await Task.Delay(500);
            rssRestarted = restarted.RssBytes();
        }
        long disk = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
        var last = compactions.LastOrDefault();
        single.Sort();
        batch.Sort();
        return new GalleryBenchRow("durable: WAL + snapshot (this design)", total, emptyStart, restart, replayed,
            P(single, 0.5), P(single, 0.99), single.Count, P(batch, 0.5), P(batch, 0.99), batch.Count,
            (double)(rssRestarted - rssEmpty) / total, (double)(rssAfterWrites - rssEmpty) / total, IdealBytesPerItem(items.Dimension),
            (double)disk / total, last.Seconds, last.Items, compactions.Count, n / fillSeconds);
    }

    /// <summary>Vector (float32) + HNSW links (2M on layer 0, M on the expected 1/(M-1) upper layers, each list with its count) + id + label bytes, at the server's default M = 16.</summary>
    public static double IdealBytesPerItem(int dimension, int m = 16) =>
        4.0 * dimension + 4.0 * (2 * m + 1) + 4.0 * (m + 1) / (m - 1) + sizeof(long) + 4;

    internal static double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : LoadTestRunner.Percentile([.. sorted], q);

    private static async Task<double> TimeAsync(V1.Retrieval.RetrievalClient client, UpsertVectorsRequest request)
    {
        long start = Stopwatch.GetTimestamp();
        await client.UpsertVectorsAsync(request);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    [GeneratedRegex(@"Compaction: snapshot at sequence \d+ \((\d+) items\) written in ([\d.]+) s")]
    private static partial Regex CompactionLine();

    [GeneratedRegex(@"snapshot at sequence \d+, (\d+) changes replayed")]
    private static partial Regex LoadedLine();
}
