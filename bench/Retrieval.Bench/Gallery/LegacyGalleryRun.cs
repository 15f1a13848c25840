using System.Diagnostics;
using System.Globalization;
using Retrieval.Core.IO;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// The previous design measured the same way where it can still run: `gallery-legacy` workers (this executable) write
/// the single-file gallery of N items, then load it (read + graph rebuild) and time upserts that each rewrite it.
/// Restart = process start to READY; memory = the worker's resident bytes after the load minus an empty worker's.
/// </summary>
public static class LegacyGalleryRun
{
    /// <summary>Runs one size in <paramref name="root"/>.</summary>
    public static async Task<GalleryBenchRow> RunAsync(GalleryBenchSettings s, int n, string root)
    {
        var empty = await ServeAsync(s, await CreateAsync(s, 0, Path.Combine(root, "legacy-0.idx")), root);
        BenchLog.Step($"before, N={n:N0}: writing the single-file gallery");
        var file = await CreateAsync(s, n, Path.Combine(root, $"legacy-{n}.idx"));
        BenchLog.Step($"before, N={n:N0}: restart = read the file + rebuild the graph, then {s.BaselineSingle} + {s.BaselineBatches}x100 upserts (each rewrites the file)");
        var run = await ServeAsync(s, file, root);
        int total = n + s.BaselineSingle + 100 * s.BaselineBatches;
        var single = run.Result.Single.Order().ToList();
        var batch = run.Result.Batch.Order().ToList();
        double perItem = (double)(run.Result.RssBytes - empty.Result.RssBytes) / n;
        return new GalleryBenchRow("before: single file rewritten per write, graph rebuilt at start", total, empty.ReadySeconds, run.ReadySeconds, n,
            DurableGalleryRun.P(single, 0.5), DurableGalleryRun.P(single, 0.99), single.Count, DurableGalleryRun.P(batch, 0.5), DurableGalleryRun.P(batch, 0.99), batch.Count,
            perItem, perItem, DurableGalleryRun.IdealBytesPerItem(s.Dimension), (double)run.Result.FileBytes / total, null, 0, 0, null);
    }

    private static async Task<string> CreateAsync(GalleryBenchSettings s, int n, string file)
    {
        await RunWorkerAsync(s, file, ["--count", n.ToString(CultureInfo.InvariantCulture)], null);
        return file;
    }

    private static async Task<(double ReadySeconds, LegacyGalleryWorker.Result Result)> ServeAsync(GalleryBenchSettings s, string file, string root)
    {
        var json = Path.Combine(root, "legacy-result.json");
        var ready = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        await RunWorkerAsync(s, file, ["--json", json, "--single", $"{s.BaselineSingle}", "--batches", $"{s.BaselineBatches}"], ready);
        var result = JsonFiles.Read<LegacyGalleryWorker.Result>(json);
        return (await ready.Task, result);
    }

    private static async Task RunWorkerAsync(GalleryBenchSettings s, string file, string[] extra, TaskCompletionSource<double>? ready)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["gallery-legacy", "--file", file, "--dim", $"{s.Dimension}", "--seed", $"{s.Seed}", .. extra])
            info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the legacy worker");
        var errors = process.StandardError.ReadToEndAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
            if (line == "READY") ready?.TrySetResult(clock.Elapsed.TotalSeconds);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"legacy worker failed (exit {process.ExitCode}): {await errors}");
    }
}
