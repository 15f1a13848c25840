using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.V1;

namespace Retrieval.Cli.Client;

/// <summary>
/// The project's one load generator (`retrieval loadtest`, `retrieval-bench load`, the scale-out test): Search calls
/// over one channel with a fixed number in flight, for a fixed number of calls or for a fixed time after a warm-up,
/// counting answers, failures per status and retries, and timing every answered call.
/// </summary>
public sealed class LoadTestRunner(GrpcChannel channel, string server)
{
    /// <summary>Per-call deadline; a call still unanswered after it (retries included) counts as failed.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Headers sent with every call (the API key), or none.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>Sends <paramref name="count"/> queries cycling through <paramref name="images"/>; reports (done, answered, failed) after each.</summary>
    public Task<LoadTestReport> RunAsync(IReadOnlyList<byte[]> images, int count, int concurrency, int k,
        Action<int, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (count < 1) throw new ArgumentException($"--count {count}: expected at least 1");
        return RunAsync(Requests(images, concurrency, k), concurrency, call => call < count, progress, cancellationToken);
    }

    /// <summary>Keeps <paramref name="concurrency"/> calls in flight for <paramref name="duration"/>, after an unmeasured <paramref name="warmup"/>.</summary>
    public async Task<LoadTestReport> RunForAsync(IReadOnlyList<byte[]> images, TimeSpan duration, int concurrency, int k, TimeSpan warmup,
        CancellationToken cancellationToken = default)
    {
        if (!(duration > TimeSpan.Zero)) throw new ArgumentException($"--seconds {duration.TotalSeconds}: expected a positive number of seconds");
        var requests = Requests(images, concurrency, k);
        if (warmup > TimeSpan.Zero) await RunAsync(requests, concurrency, Until(warmup), null, cancellationToken);
        return await RunAsync(requests, concurrency, Until(duration), null, cancellationToken);
    }

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/>.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) throw new ArgumentException("no values");
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static SearchRequest[] Requests(IReadOnlyList<byte[]> images, int concurrency, int k)
    {
        if (images.Count == 0) throw new ArgumentException("no query images");
        if (concurrency < 1) throw new ArgumentException($"--concurrency {concurrency}: expected at least 1");
        if (k < 1) throw new ArgumentException($"--k {k}: expected at least 1");
        return images.Select(bytes => new SearchRequest { Image = ByteString.CopyFrom(bytes), Options = new SearchOptions { K = k } }).ToArray();
    }

    private static Func<long, bool> Until(TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return _ => Stopwatch.GetTimestamp() < end;
    }

    /// <summary>Workers take call numbers 0, 1, 2, ... while <paramref name="more"/> says so.</summary>
    private async Task<LoadTestReport> RunAsync(SearchRequest[] requests, int concurrency, Func<long, bool> more,
        Action<int, int, int>? progress, CancellationToken cancellationToken)
    {
        var client = new V1.Retrieval.RetrievalClient(channel);
        var latencies = new List<double>[concurrency];
        var failedByStatus = new ConcurrentDictionary<string, int>();
        string? firstError = null;
        long next = -1;
        int done = 0, answered = 0, failed = 0, retried = 0;
        var clock = Stopwatch.StartNew();

        async Task Worker(int worker)
        {
            var mine = latencies[worker] = [];
            long i;
            while (more(i = Interlocked.Increment(ref next)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var call = client.SearchAsync(requests[i % requests.Length], Headers, DateTime.UtcNow + CallTimeout, cancellationToken);
                    await call.ResponseAsync;
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (RetrievalChannel.PreviousAttempts(await call.ResponseHeadersAsync) > 0) Interlocked.Increment(ref retried);
                    Interlocked.Increment(ref answered);
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failedByStatus.AddOrUpdate(e.StatusCode.ToString(), 1, (_, n) => n + 1);
                    Interlocked.CompareExchange(ref firstError, $"{e.StatusCode}: {e.Status.Detail}", null);
                    Interlocked.Increment(ref failed);
                }
                progress?.Invoke(Interlocked.Increment(ref done), Volatile.Read(ref answered), Volatile.Read(ref failed));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), cancellationToken)));
        double elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        double? At(double p) => sorted.Length == 0 ? null : Percentile(sorted, p);
        return new LoadTestReport
        {
            Server = server,
            Queries = answered + failed,
            Answered = answered,
            Failed = failed,
            FailedByStatus = new SortedDictionary<string, int>(failedByStatus, StringComparer.Ordinal),
            FirstError = firstError,
            Retried = retried,
            Concurrency = concurrency,
            ElapsedSeconds = elapsed,
            QueriesPerSecond = answered / elapsed,
            LatencyP50Ms = At(0.50),
            LatencyP95Ms = At(0.95),
            LatencyP99Ms = At(0.99),
            LatencyMeanMs = sorted.Length == 0 ? null : sorted.Average(),
            LatencyMaxMs = sorted.Length == 0 ? null : sorted[^1],
        };
    }
}
