using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Engine;

/// <summary>
/// The retrieval service behind the gRPC layer: embeds images through the micro-batcher and searches the live gallery.
/// Holds one <see cref="ServingState"/> (model + gallery) that a reload replaces atomically; searches never wait for a
/// reload, gallery updates wait while one runs.
/// </summary>
public sealed class RetrievalEngine(IOptions<ServerOptions> options, IModelLoader loader, IIndexFactory indexFactory,
    ServingMetrics metrics, ILogger<RetrievalEngine> logger)
{
    private static readonly int[] RecallKs = [1, 10, 20, 30, 40, 50];
    private static readonly TimeSpan RetireDelay = TimeSpan.FromSeconds(30);
    private readonly ServerOptions _options = options.Value;
    private readonly SemaphoreSlim _updates = new(1, 1);
    private ServingState? _state;

    /// <summary>True once a model and gallery are loaded.</summary>
    public bool IsReady => Volatile.Read(ref _state) is not null;

    /// <summary>Index construction parameters (M, efConstruction, default ef).</summary>
    public (int M, int EfConstruction, int EfSearch) IndexParameters => indexFactory.Parameters;

    /// <summary>The serving state; throws FAILED_PRECONDITION while loading.</summary>
    public ServingState State => Volatile.Read(ref _state)
        ?? throw new RequestException(RequestError.FailedPrecondition, "the server is still loading its model and gallery.");

    /// <summary>Loads the configured model and gallery (saved index, else the --data listing, else empty) and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var state = await BuildStateAsync(_options.Model, _options.IndexPath, loadSaved: true, cancellationToken).ConfigureAwait(false);
        Activate(state.State);
    }

    /// <summary>Builds a new model + gallery pair off to the side (re-embedding every gallery image) and swaps it in atomically.</summary>
    public async Task<ReloadResult> ReloadAsync(string? modelPath, CancellationToken cancellationToken)
    {
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = State;
            var path = string.IsNullOrEmpty(modelPath) ? old.ModelPath : modelPath;
            var sources = old.Gallery.Items.Select(i => new GallerySource(i.Id, i.Label, i.ImagePath)).OrderBy(s => s.Id).ToList();
            var (next, dropped) = await BuildStateAsync(path, _options.IndexPath, loadSaved: false, cancellationToken, sources).ConfigureAwait(false);
            Activate(next);
            logger.LogInformation("Swapped in model {Path} (sha256 {Sha}); gallery {Count} items, {Dropped} dropped", path, next.Model.Info.Sha256, next.Gallery.Count, dropped);
            _ = RetireAsync(old);
            return new ReloadResult(next.Model.Info.Sha256, next.Gallery.Count, dropped);
        }
        finally { _updates.Release(); }
    }

    /// <summary>Embeds one encoded image.</summary>
    public async Task<float[]> EmbedAsync(byte[] image, CancellationToken cancellationToken)
    {
        var state = State;
        return await EmbedAsync(state, image, "image", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Embeds an image and returns its nearest gallery items.</summary>
    public async Task<GalleryHit[]> SearchAsync(byte[] image, SearchQuery query, CancellationToken cancellationToken)
    {
        var state = State;
        ValidateQuery(query);
        var embedding = await EmbedAsync(state, image, "image", cancellationToken).ConfigureAwait(false);
        return state.Gallery.Search(embedding, query.K, query.Ef, query.Exact, query.ScoreThreshold);
    }

    /// <summary>The nearest gallery items of a caller-given embedding.</summary>
    public GalleryHit[] SearchByVector(float[] embedding, SearchQuery query)
    {
        ValidateQuery(query);
        return State.Gallery.Search(embedding, query.K, query.Ef, query.Exact, query.ScoreThreshold);
    }

    /// <summary>Embeds and adds (or replaces) items; returns after the gallery is saved.</summary>
    public async Task<(int Upserted, int IndexSize)> UpsertAsync(IReadOnlyList<UpsertInput> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0) throw new RequestException(RequestError.InvalidArgument, "the request stream held no items.");
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = State;
            var items = await Task.WhenAll(inputs.Select(async (input, i) =>
            {
                if (string.IsNullOrWhiteSpace(input.Label))
                    throw new RequestException(RequestError.InvalidArgument, $"item {i} (id {input.Id}): label is empty.");
                var embedding = await EmbedAsync(state, input.Image, $"item {i} (id {input.Id}): image", cancellationToken).ConfigureAwait(false);
                return new GalleryItem(input.Id, input.Label, input.ImagePath, embedding);
            })).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            int size = state.Gallery.Upsert(items);
            metrics.IndexSize.Set(size);
            return (items.Length, size);
        }
        finally { _updates.Release(); }
    }

    /// <summary>Deletes items; returns how many existed and the new size.</summary>
    public async Task<(int Deleted, int NotFound, int IndexSize)> DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) throw new RequestException(RequestError.InvalidArgument, "item_ids is empty.");
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var gallery = State.Gallery;
            int deleted = gallery.Delete(ids);
            metrics.IndexSize.Set(gallery.Count);
            return (deleted, ids.Distinct().Count() - deleted, gallery.Count);
        }
        finally { _updates.Release(); }
    }

    /// <summary>Retrieval quality of labelled queries against the current gallery (HNSW search, as served).</summary>
    public async Task<QualityReport> EvaluateAsync(IReadOnlyList<LabelledQuery> queries, CancellationToken cancellationToken)
    {
        if (queries.Count == 0) throw new RequestException(RequestError.InvalidArgument, "the request stream held no queries.");
        var state = State;
        var embeddings = await Task.WhenAll(queries.Select((q, i) =>
            EmbedAsync(state, q.Image, $"query {i}: image", cancellationToken))).ConfigureAwait(false);
        var perLabel = state.Gallery.Items.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.Count());
        var quality = new QualityAccumulator(RecallKs);
        for (int i = 0; i < queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int relevant = perLabel.GetValueOrDefault(queries[i].Label);
            var labels = relevant == 0 ? [] : state.Gallery.Search(embeddings[i], quality.RanksNeeded(relevant), 0, false, null).Select(h => h.Label).ToArray();
            quality.Add(labels, queries[i].Label, relevant);
        }
        return quality.Report();
    }

    private async Task<float[]> EmbedAsync(ServingState state, byte[] image, string field, CancellationToken cancellationToken)
    {
        float[] input;
        try
        {
            if (image.Length == 0) throw new RequestException(RequestError.InvalidArgument, "is empty (0 bytes).");
            input = state.Model.Preprocess(image, _options.MaxImagePixels);
        }
        catch (RequestException e)
        {
            throw new RequestException(e.Error, $"{field}: {e.Message}");
        }
        return await state.Batcher.EmbedAsync(input, cancellationToken).ConfigureAwait(false);
    }

    private static void ValidateQuery(SearchQuery query)
    {
        if (query.K <= 0) throw new RequestException(RequestError.InvalidArgument, $"options.k must be > 0, got {query.K}.");
        if (query.Ef < 0) throw new RequestException(RequestError.InvalidArgument, $"options.ef must be >= 0, got {query.Ef}.");
        if (query.ScoreThreshold is { } t && !float.IsFinite(t))
            throw new RequestException(RequestError.InvalidArgument, "options.score_threshold must be finite.");
    }

    private void Activate(ServingState state)
    {
        Volatile.Write(ref _state, state);
        metrics.IndexSize.Set(state.Gallery.Count);
    }

    private async Task<(ServingState State, int Dropped)> BuildStateAsync(string modelPath, string indexPath, bool loadSaved,
        CancellationToken cancellationToken, IReadOnlyList<GallerySource>? sources = null)
    {
        var model = loader.Load(modelPath);
        var batcher = new MicroBatcher(model, _options.MaxBatch, TimeSpan.FromMilliseconds(_options.MaxWaitMs), metrics);
        try
        {
            var sha = model.Info.Sha256;
            if (loadSaved && File.Exists(indexPath))
            {
                var loaded = GalleryStore.Load(indexPath, sha, indexFactory);
                logger.LogInformation("Loaded gallery index {Path}: {Count} items", indexPath, loaded.Count);
                return (new ServingState(batcher, loaded, modelPath), 0);
            }
            var gallery = new GalleryStore(model.Info.EmbeddingSize, sha, indexFactory, indexPath);
            if (sources is null && !string.IsNullOrEmpty(_options.Data))
            {
                sources = InShopGalleryListing.Read(_options.Data);
                logger.LogInformation("Building gallery index from {Count} gallery images under {Data}", sources.Count, _options.Data);
            }
            int dropped = 0;
            if (sources is { Count: > 0 })
            {
                (var items, dropped) = await GalleryBuilder.EmbedAsync(sources, _options.Data, batcher, _options.MaxImagePixels,
                    skipUnreadable: !loadSaved, logger, cancellationToken).ConfigureAwait(false);
                gallery.Upsert(items);
            }
            else gallery.Save();
            logger.LogInformation("Saved gallery index {Path}: {Count} items", indexPath, gallery.Count);
            return (new ServingState(batcher, gallery, modelPath), dropped);
        }
        catch
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
            model.Dispose();
            throw;
        }
    }

    private static async Task RetireAsync(ServingState old)
    {
        await Task.Delay(RetireDelay).ConfigureAwait(false);
        await old.Batcher.DisposeAsync().ConfigureAwait(false);
        old.Model.Dispose();
    }
}
