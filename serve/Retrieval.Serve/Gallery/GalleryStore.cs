using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Retrieval.Core.Search;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The live gallery: items (id → label, path, embedding) plus the approximate index over their embeddings.
/// Searches run concurrently with updates; updates are serialised and, when a file is attached, saved before they return.
/// </summary>
public sealed class GalleryStore
{
    private readonly ConcurrentDictionary<long, GalleryItem> _items = new();
    private readonly IVectorIndex _index;
    private readonly Lock _write = new();
    private readonly string? _path;

    /// <summary>An empty gallery for embeddings of <paramref name="dimension"/> floats from the model <paramref name="modelSha256"/>; saved to <paramref name="path"/> on every change when given.</summary>
    public GalleryStore(int dimension, string modelSha256, IIndexFactory indexFactory, string? path)
    {
        Dimension = dimension;
        ModelSha256 = modelSha256;
        _index = indexFactory.Create(dimension);
        _path = path;
    }

    /// <summary>Embedding length.</summary>
    public int Dimension { get; }

    /// <summary>SHA-256 of the model that produced the embeddings.</summary>
    public string ModelSha256 { get; }

    /// <summary>Live items.</summary>
    public int Count => _items.Count;

    /// <summary>A snapshot of the live items.</summary>
    public IReadOnlyCollection<GalleryItem> Items => _items.Values.ToArray();

    /// <summary>Loads a saved gallery and rebuilds its index; refuses a file built with another model.</summary>
    public static GalleryStore Load(string path, string modelSha256, IIndexFactory indexFactory)
    {
        var (sha, dimension, items) = GalleryFile.Load(path);
        if (!string.Equals(sha, modelSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"{path} was built with model sha256 {sha}, but the server's model is {modelSha256}. " +
                "Delete the index file (it is rebuilt from --data) or point --index elsewhere.");
        var store = new GalleryStore(dimension, modelSha256, indexFactory, path);
        store.AddUnsaved(items);
        return store;
    }

    /// <summary>Adds or replaces items, then saves; returns the new size.</summary>
    public int Upsert(IReadOnlyList<GalleryItem> items)
    {
        lock (_write)
        {
            AddUnsaved(items);
            Save();
            return Count;
        }
    }

    /// <summary>Deletes items by id, then saves; returns how many existed.</summary>
    public int Delete(IReadOnlyList<long> ids)
    {
        lock (_write)
        {
            int deleted = 0;
            foreach (var id in ids.Distinct())
            {
                if (!_items.TryRemove(id, out _)) continue;
                _index.Remove(id);
                deleted++;
            }
            if (deleted > 0) Save();
            return deleted;
        }
    }

    /// <summary>Writes the gallery to its file (no-op without one).</summary>
    public void Save()
    {
        if (_path is null) return;
        lock (_write) GalleryFile.Save(_path, ModelSha256, Dimension, Items);
    }

    /// <summary>The k nearest items to <paramref name="query"/> by cosine similarity, best first, optionally exact and above a score threshold.</summary>
    public GalleryHit[] Search(float[] query, int k, int ef, bool exact, float? scoreThreshold)
    {
        if (query.Length != Dimension)
            throw new RequestException(RequestError.InvalidArgument, $"embedding has {query.Length} values; the model's embedding size is {Dimension}.");
        if (k <= 0) throw new RequestException(RequestError.InvalidArgument, $"options.k must be > 0, got {k}.");
        if (ef < 0) throw new RequestException(RequestError.InvalidArgument, $"options.ef must be >= 0, got {ef}.");
        if (Count == 0) throw new RequestException(RequestError.FailedPrecondition, "the gallery is empty: upsert items or start the server with --data.");
        var q = Normalized(query);
        var hits = exact ? SearchExact(q, k) : SearchIndex(q, k, ef);
        return scoreThreshold is { } t ? hits.Where(h => h.Score >= t).ToArray() : hits;
    }

    private GalleryHit[] SearchExact(float[] query, int k)
    {
        var items = _items.Values.OrderBy(i => i.Id).ToArray();
        var vectors = new float[items.Length * Dimension];
        for (int i = 0; i < items.Length; i++) items[i].Embedding.CopyTo(vectors, i * Dimension);
        return ExactSearch.TopK(query, vectors, Dimension, k)[0].Select(n => Hit(items[n.Id], 1f - n.Distance)).ToArray();
    }

    private GalleryHit[] SearchIndex(float[] query, int k, int ef)
    {
        var hits = new List<GalleryHit>(Math.Min(k, Count)); // k is capped per request, but never size a buffer by it alone
        foreach (var n in _index.Search(query, k, new SearchParams(ef)))
            if (_items.TryGetValue(n.Id, out var item)) hits.Add(Hit(item, 1f - n.Distance));
        return [.. hits];
    }

    private static GalleryHit Hit(GalleryItem item, float score) => new(item.Id, item.Label, item.ImagePath, score);

    private void AddUnsaved(IReadOnlyList<GalleryItem> batch)
    {
        var items = batch.GroupBy(i => i.Id).Select(g => g.Last()).ToArray();
        if (items.Length == 0) return;
        var vectors = new float[items.Length * Dimension];
        var ids = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i].Embedding.Length != Dimension)
                throw new RequestException(RequestError.InvalidArgument, $"item {items[i].Id}: embedding has {items[i].Embedding.Length} values, expected {Dimension}.");
            Normalized(items[i].Embedding).CopyTo(vectors, i * Dimension);
            ids[i] = items[i].Id;
        }
        _index.Add(vectors, ids);
        for (int i = 0; i < items.Length; i++)
            _items[ids[i]] = items[i] with { Embedding = vectors.AsSpan(i * Dimension, Dimension).ToArray() };
    }

    private static float[] Normalized(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (!(norm > 0) || float.IsInfinity(norm))
            throw new RequestException(RequestError.InvalidArgument, "embedding must be finite and non-zero.");
        var copy = new float[v.Length];
        TensorPrimitives.Divide(v, norm, copy);
        return copy;
    }
}
