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
        var after = new GalleryModel(dimension) { Universe = Universe };
        foreach (var (id, v) in _present) after._present[id] = v;
        foreach (var (id, v) in _lastVersion) after._lastVersion[id] = v;
        after.Acknowledge(write);
        int matchBefore = 0, matchAfter = 0;
        foreach (long id in write.Ids)
        {
            if ((await CheckAsync(client, id)).Count == 0) matchBefore++;
            if ((await after.CheckAsync(client, id)).Count == 0) matchAfter++;
        }
        if (matchAfter == write.Ids.Length && matchBefore != write.Ids.Length)
        {
            Acknowledge(write);
            return true;
        }
        if (matchBefore == write.Ids.Length) return false;
        return null;
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
        if (!present && !_lastVersion.TryGetValue(id, out version)) return [];
        var request = new SearchByVectorRequest { Options = new SearchOptions { K = 1, Exact = true } };
        request.Embedding.AddRange(Vector(id, version, dimension));
        Neighbor? hit;
        try
        {
            hit = (await client.SearchByVectorAsync(request)).Neighbors.FirstOrDefault();
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            hit = null; // empty gallery
        }
        bool found = hit is not null && hit.ItemId == id && hit.Label == $"v{version}" && hit.Score > 0.999f;
        if (present && !found) return [$"acknowledged item {id} v{version} is missing (nearest: {hit?.ItemId} {hit?.Label} {hit?.Score})"];
        if (!present && hit is not null && hit.ItemId == id) return [$"deleted item {id} is present ({hit.Label})"];
        return [];
    }
}
