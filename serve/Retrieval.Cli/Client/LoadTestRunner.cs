using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.V1;

namespace Retrieval.Cli.Client;

/// <summary>Sends a fixed number of Search calls over one retrying channel with a few in flight, and counts outcomes.</summary>
public sealed class LoadTestRunner(GrpcChannel channel, string server)
{
    /// <summary>Per-call deadline; a call still unanswered after it (retries included) counts as failed.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="count"/> queries cycling through <paramref name="images"/>; reports progress after each.</summary>
    public async Task<LoadTestReport> RunAsync(IReadOnlyList<byte[]> images, int count, int concurrency, int k,
        Action<int, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (images.Count == 0) throw new ArgumentException("no query images");
        if (count < 1) throw new ArgumentException($"--count {count}: expected at least 1");
        if (concurrency < 1) throw new ArgumentException($"--concurrency {concurrency}: expected at least 1");
        if (k < 1) throw new ArgumentException($"--k {k}: expected at least 1");

        var client = new V1.Retrieval.RetrievalClient(channel);
        var requests = images.Select(bytes => new SearchRequest { Image = ByteString.CopyFrom(bytes), Options = new SearchOptions { K = k } }).ToArray();
        var latencies = new double[count];
        var statuses = new StatusCode?[count];
        var retried = new bool[count];
        int next = -1, done = 0, answered = 0, failed = 0;
        var clock = Stopwatch.StartNew();

        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var call = client.SearchAsync(requests[i % requests.Length], deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
                    await call.ResponseAsync;
                    retried[i] = RetrievalChannel.PreviousAttempts(await call.ResponseHeadersAsync) > 0;
                    Interlocked.Increment(ref answered);
                }
                catch (RpcException e)
                {
                    statuses[i] = e.StatusCode;
                    Interlocked.Increment(ref failed);
                }
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                progress?.Invoke(Interlocked.Increment(ref done), Volatile.Read(ref answered), Volatile.Read(ref failed));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, cancellationToken)));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadTestReport
        {
            Server = server,
            Queries = count,
            Answered = answered,
            Failed = failed,
            FailedByStatus = statuses.Where(s => s is not null).GroupBy(s => s!.Value.ToString()).ToDictionary(g => g.Key, g => g.Count()),
            Retried = retried.Count(r => r),
            Concurrency = concurrency,
            ElapsedSeconds = elapsed,
            QueriesPerSecond = count / elapsed,
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            LatencyMaxMs = latencies[^1],
        };
    }

    /// <summary>Nearest-rank percentile of ascending <paramref name="sorted"/>.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) throw new ArgumentException("no values");
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
