using Grpc.Core;
using Retrieval.V1;

namespace Retrieval.Bench.Gallery;

/// <summary>
/// What the gallery must hold according to the acknowledged writes: id → version (label "v{version}", a vector drawn
/// from id and version). Draws random writes and checks a running server against the expectation with exact searches.
/// </summary>
internal sealed class GalleryModel(int dimension)
{
    private readonly Dictionary<long, int> _present = [];
    private readonly Dictionary<long, int> _lastVersion = [];
    private int _version;

    public int Count => _present.Count;

    public static float[] Vector(long id, int version, int dimension)
    {
        var rng = new Random(HashCode.Combine(id, version));
        return Enumerable.Range(0, dimension).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>A random write: mostly an upsert of 1-10 ids (a new version), sometimes a delete of 1-5 ids.</summary>
    public Write Next(Random rng)
    {
        var ids = Enumerable.Range(0, rng.Next(1, 11)).Select(_ => (long)rng.Next(Universe)).Distinct().ToArray();
        return rng.NextDouble() < 0.7 ? new Write(ids, ++_version, dimension) : new Write(ids[..Math.Min(ids.Length, 5)], null, dimension);
    }

    public int Universe { get; init; } = 300;

    public void Acknowledge(Write write)
    {
        foreach (long id in write.Ids)
        {
            if (write.Version is { } v)
            {
                _present[id] = v;
                _lastVersion[id] = v;
            }
            else _present.Remove(id);
        }
    }

    /// <summary>Whether the write in flight at a kill was applied (true), not applied (false) or half (null); the expectation follows.</summary>
    public async Task<bool?> ResolveAsync(V1.Retrieval.RetrievalClient client, Write write)
    {
        int total, done = 0;
        if (write.Version is { } v)
        {
            total = write.Ids.Length;
            foreach (long id in write.Ids)
                if (await IsStoredAsync(client, id, v)) done++;
        }
        else
        {
            var relevant = write.Ids.Where(_present.ContainsKey).ToArray();
            total = relevant.Length;
            foreach (long id in relevant)
                if (!await IsStoredAsync(client, id, _present[id])) done++;
        }
        if (done == 0) return false;
        if (done < total) return null;
        Acknowledge(write);
        return true;
    }

    /// <summary>Every id checked against the expectation, and the index size; returns the problems found.</summary>
    public async Task<List<string>> VerifyAsync(V1.Retrieval.RetrievalClient client)
    {
        var problems = new List<string>();
        for (long id = 0; id < Universe; id++) problems.AddRange(await CheckAsync(client, id));
        long size = (await client.GetInfoAsync(new GetInfoRequest())).IndexSize;
        if (size != _present.Count) problems.Add($"index size {size}, expected {_present.Count}");
        return problems;
    }

    private async Task<List<string>> CheckAsync(V1.Retrieval.RetrievalClient client, long id)
    {
        bool present = _present.TryGetValue(id, out int version);
        if (!present && !_lastVersion.TryGetValue(id, out version)) return []; // never written: the index size check covers it
        var hit = await NearestAsync(client, id, version);
        bool found = IsItem(hit, id, version);
        if (present && !found) return [$"acknowledged item {id} v{version} is missing (nearest: {hit?.ItemId} {hit?.Label} {hit?.Score})"];
        if (!present && hit is not null && hit.ItemId == id) return [$"deleted item {id} is present ({hit.Label})"];
        return [];
    }

    private async Task<bool> IsStoredAsync(V1.Retrieval.RetrievalClient client, long id, int version) =>
        IsItem(await NearestAsync(client, id, version), id, version);

    private static bool IsItem(Neighbor? hit, long id, int version) => hit is not null && hit.ItemId == id && hit.Label == $"v{version}" && hit.Score > 0.999f;

    /// <summary>The stored item nearest to the vector of (id, version), by exact search; null when the gallery is empty.</summary>
    private async Task<Neighbor?> NearestAsync(V1.Retrieval.RetrievalClient client, long id, int version)
    {
        var request = new SearchByVectorRequest { Options = new SearchOptions { K = 1, Exact = true } };
        request.Embedding.AddRange(Vector(id, version, dimension));
        try
        {
            return (await client.SearchByVectorAsync(request)).Neighbors.FirstOrDefault();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            return null;
        }
    }
}
