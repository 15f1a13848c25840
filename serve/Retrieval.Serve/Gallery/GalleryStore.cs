using Retrieval.Core.Storage;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The live gallery: a thin map over core's durable <see cref="VectorCollection"/> (id → label, image path,
/// attributes; each embedding stored once, in the index) plus the identity of the model that made the embeddings,
/// recorded with every snapshot. Checks what callers send and answers in cosine similarity; refusals are
/// <see cref="GalleryException"/>s.
/// </summary>
public sealed class GalleryStore(VectorCollection collection)
{
    /// <summary>Property holding the full path of the model that made the embeddings.</summary>
    public const string ModelPathKey = "model.path";

    /// <summary>Property holding that model's SHA-256.</summary>
    public const string ModelShaKey = "model.sha256";

    /// <summary>The durable collection behind the gallery.</summary>
    public VectorCollection Collection => collection;

    /// <summary>Embedding length.</summary>
    public int Dimension => collection.Dimension;

    /// <summary>Live items.</summary>
    public int Count => collection.Count;

    /// <summary>SHA-256 of the model that produced the embeddings.</summary>
    public string ModelSha256 => collection.Properties[ModelShaKey];

    /// <summary>Path of that model.</summary>
    public string ModelPath => collection.Properties[ModelPathKey];

    /// <summary>Every item as a source to re-embed (id order).</summary>
    public List<GallerySource> Sources() =>
        collection.Items.OrderBy(i => i.Key).Select(i => new GallerySource(i.Key, i.Value.Label, i.Value.ImagePath, i.Value.Attributes)).ToList();

    /// <summary>The properties recording a model with the gallery.</summary>
    public static Dictionary<string, string> ModelProperties(string modelPath, string sha256) =>
        new() { [ModelPathKey] = Path.GetFullPath(modelPath), [ModelShaKey] = sha256 };

    /// <summary>Adds or replaces items (the last of repeated ids wins), durable before it returns; returns the new size.</summary>
    public int Upsert(IReadOnlyList<VectorItem> items)
    {
        Validate(items);
        collection.Upsert(items);
        return Count;
    }

    /// <summary>Throws <see cref="GalleryException"/> naming the first item this gallery would refuse (embedding size, values, attributes).</summary>
    public void Validate(IReadOnlyList<VectorItem> items)
    {
        foreach (var item in items)
        {
            CheckVector(item.Vector, $"item {item.Id}: embedding");
            GalleryAttributes.Validate(item.Metadata.Attributes, $"item {item.Id}");
        }
    }

    /// <summary>Deletes items by id, durable before it returns; returns how many existed.</summary>
    public int Delete(IReadOnlyList<long> ids) => collection.Delete(ids).Deleted;

    /// <summary>The nearest items to <paramref name="query"/> by cosine similarity, best first (k and ef are checked by the caller).</summary>
    public GalleryHit[] Search(float[] query, SearchQuery search)
    {
        CheckVector(query, "embedding");
        if (Count == 0) throw new GalleryException(GalleryError.FailedPrecondition, "the gallery is empty: upsert items or start the server with --data.");
        var hits = collection.Search(query, search.K, search.Ef, search.Exact, search.Filter);
        var result = new List<GalleryHit>(hits.Length);
        foreach (var h in hits)
        {
            float score = 1f - h.Distance;
            if (search.ScoreThreshold is { } t && score < t) continue;
            result.Add(new GalleryHit(h.Id, h.Metadata.Label, h.Metadata.ImagePath, h.Metadata.Attributes, score));
        }
        return [.. result];
    }

    private void CheckVector(float[] v, string field)
    {
        if (v.Length != Dimension)
            throw new GalleryException(GalleryError.InvalidArgument, $"{field} has {v.Length} values; the model's embedding size is {Dimension}.");
        double norm = 0;
        foreach (float x in v)
        {
            if (!float.IsFinite(x)) throw new GalleryException(GalleryError.InvalidArgument, $"{field} must be finite and non-zero.");
            norm += (double)x * x;
        }
        if (norm == 0) throw new GalleryException(GalleryError.InvalidArgument, $"{field} must be finite and non-zero.");
    }
}
