using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.V1;

namespace Retrieval.Bench.Load;

/// <summary>Drives N concurrent clients against a retrieval server for a fixed time and measures each Search call's latency.</summary>
public static class LoadGenerator
{
    /// <summary>Runs the load (after a one-second warm-up) and summarises it.</summary>
    public static async Task<LoadResult> RunAsync(string address, IReadOnlyList<byte[]> images, int clients, TimeSpan duration, int k,
        string mode, int maxBatch, double maxWaitMs, string? apiKey)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = null });
        var client = new V1.Retrieval.RetrievalClient(channel);
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(apiKey)) headers.Add("x-api-key", apiKey);
        var requests = images.Select(i => new SearchRequest { Image = ByteString.CopyFrom(i), Options = new SearchOptions { K = k } }).ToArray();

        await RunClientsAsync(client, headers, requests, clients, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var perClient = await RunClientsAsync(client, headers, requests, clients, duration);
        var elapsed = clock.Elapsed.TotalSeconds;

        var latencies = perClient.SelectMany(c => c.Latencies).OrderBy(x => x).ToArray();
        long errors = perClient.Sum(c => c.Errors);
        return new LoadResult(mode, maxBatch, maxWaitMs, clients, elapsed, latencies.Length + errors, errors,
            latencies.Length / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies.Average(), perClient.Select(c => c.FirstError).FirstOrDefault(e => e is not null));
    }

    private static async Task<ClientStats[]> RunClientsAsync(V1.Retrieval.RetrievalClient client, Metadata headers,
        SearchRequest[] requests, int clients, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var stats = new ClientStats();
            for (int i = c; Stopwatch.GetTimestamp() < end; i += clients)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    await client.SearchAsync(requests[i % requests.Length], headers, DateTime.UtcNow.AddSeconds(30));
                    stats.Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (RpcException e)
                {
                    stats.Errors++;
                    stats.FirstError ??= $"{e.StatusCode}: {e.Status.Detail}";
                }
            }
            return stats;
        })));
    }

    /// <summary>The nearest-rank percentile of sorted values (NaN when empty).</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class ClientStats
    {
        public List<double> Latencies { get; } = [];
        public long Errors { get; set; }
        public string? FirstError { get; set; }
    }
}
