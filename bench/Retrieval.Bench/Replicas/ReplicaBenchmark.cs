using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using Retrieval.V1;

namespace Retrieval.Bench.Replicas;

/// <summary>
/// The measurements behind `retrieval-bench replicas`, against servers already running: sustained UpsertVectors from
/// concurrent clients, and write-to-visible latency between two replicas (one upsert at a time on replica A; replica B
/// polled with an exact SearchByVector for the new item, back to back, until it answers with it).
/// </summary>
public static class ReplicaBenchmark
{
    /// <summary><paramref name="clients"/> clients each sending UpsertVectors of <paramref name="batch"/> new items for <paramref name="duration"/>.</summary>
    public static async Task<UpsertRun> UpsertAsync(string address, string store, int dimension, int batch, int clients, TimeSpan duration, long idBase)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var client = new V1.Retrieval.RetrievalClient(channel);
        var latencies = new List<double>[clients];
        long items = 0, errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            var random = new Random(c + 1);
            long next = idBase + c * 1_000_000_000L;
            while (clock.Elapsed < duration)
            {
                var request = new UpsertVectorsRequest();
                for (int i = 0; i < batch; i++) request.Items.Add(Item(next++, random, dimension));
                var call = Stopwatch.StartNew();
                try
                {
                    await client.UpsertVectorsAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
                    latencies[c].Add(call.Elapsed.TotalMilliseconds);
                    Interlocked.Add(ref items, batch);
                }
                catch (RpcException e)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.StatusCode}: {e.Status.Detail}", null);
                }
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new UpsertRun(store, batch, clients, seconds, all.Length, items, errors, items / seconds, all.Length / seconds,
            Percentile(all, 0.50), Percentile(all, 0.99), firstError);
    }

    /// <summary>
    /// <paramref name="samples"/> single-item upserts on <paramref name="writer"/>; for each, how long the call took (commit
    /// included) and how long after its reply <paramref name="reader"/> first returned the item; misses = not within 10 s.
    /// </summary>
    public static async Task<(double[] AckMs, double[] VisibleMs, int Misses)> VisibilityAsync(string writer, string reader, int dimension, int samples, long idBase)
    {
        using var writeChannel = GrpcChannel.ForAddress(writer);
        using var readChannel = GrpcChannel.ForAddress(reader);
        var write = new V1.Retrieval.RetrievalClient(writeChannel);
        var read = new V1.Retrieval.RetrievalClient(readChannel);
        var random = new Random(42);
        var ack = new List<double>();
        var visible = new List<double>();
        int misses = 0;
        for (int s = 0; s < samples; s++)
        {
            var item = Item(idBase + s, random, dimension);
            var request = new UpsertVectorsRequest { Items = { item } };
            var clock = Stopwatch.StartNew();
            await write.UpsertVectorsAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
            ack.Add(clock.Elapsed.TotalMilliseconds);
            var acked = Stopwatch.StartNew();
            var probe = new SearchByVectorRequest { Options = new SearchOptions { K = 1, Exact = true } };
            probe.Embedding.AddRange(item.Embedding);
            bool seen = false;
            while (acked.Elapsed < TimeSpan.FromSeconds(10))
            {
                var found = await read.SearchByVectorAsync(probe, deadline: DateTime.UtcNow.AddSeconds(5));
                if (found.Neighbors.Count > 0 && found.Neighbors[0].ItemId == item.ItemId)
                {
                    visible.Add(acked.Elapsed.TotalMilliseconds);
                    seen = true;
                    break;
                }
            }
            if (!seen) misses++;
        }
        return ([.. ack.Order()], [.. visible.Order()], misses);
    }

    /// <summary>The gallery table's size on disk (heap, indexes, TOAST), its rows (tombstones included) and its live items.</summary>
    public static async Task<(long Bytes, long Rows, long Live)> DatabaseSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE gallery_items", connection)) await vacuum.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_total_relation_size('gallery_items'), count(*), count(*) FILTER (WHERE NOT deleted) FROM gallery_items", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>The value at quantile <paramref name="q"/> of sorted values (nearest rank; 0 when empty).</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static VectorItem Item(long id, Random random, int dimension)
    {
        var item = new VectorItem { ItemId = id, Label = $"class{id % 100}" };
        for (int i = 0; i < dimension; i++) item.Embedding.Add((float)(random.NextDouble() * 2 - 1));
        return item;
    }
}
