using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retrieval.Core.Metrics;
using Retrieval.Core.Search;
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
    private static readonly TimeSpan RetireDelay = TimeSpan.FromSeconds(30);
    private readonly ServerOptions _options = options.Value;
    private readonly DecodeGate _decodes = new(options.Value.Limits);
    private readonly SemaphoreSlim _updates = new(1, 1);
    private ServingState? _state;

    /// <summary>The server-wide bound on images decoded at once (shared with the search page's thumbnails).</summary>
    public DecodeGate Decodes => _decodes;

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

    /// <summary>
    /// Builds a new model + gallery pair off to the side (re-embedding every gallery image) and swaps it in atomically.
    /// <paramref name="modelPath"/> names a file in the models folder (<see cref="ModelFiles"/>); empty = the current model.
    /// </summary>
    public async Task<ReloadResult> ReloadAsync(string? modelPath, CancellationToken cancellationToken)
    {
        var requested = string.IsNullOrEmpty(modelPath) ? null : ModelFiles.Resolve(_options.ModelsRoot, modelPath);
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = State;
            var path = requested ?? old.ModelPath;
            var sources = old.Gallery.Items.Select(i => new GallerySource(i.Id, i.Label, i.ImagePath)).OrderBy(s => s.Id).ToList();
            var (next, dropped) = await ModelFiles.MapLoadErrors(modelPath ?? "", logger,
                () => BuildStateAsync(path, _options.IndexPath, loadSaved: false, cancellationToken, sources)).ConfigureAwait(false);
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
        RequestChecks.Query(query, _options.Limits);
        var embedding = await EmbedAsync(state, image, "image", cancellationToken).ConfigureAwait(false);
        return state.Gallery.Search(embedding, query.K, query.Ef, query.Exact, query.ScoreThreshold);
    }

    /// <summary>The nearest gallery items of a caller-given embedding.</summary>
    public GalleryHit[] SearchByVector(float[] embedding, SearchQuery query)
    {
        RequestChecks.Query(query, _options.Limits);
        return State.Gallery.Search(embedding, query.K, query.Ef, query.Exact, query.ScoreThreshold);
    }

    /// <summary>
    /// Embeds items as the client stream delivers them (a bounded window in flight, never the whole stream in memory;
    /// per-call caps on items and bytes), then adds or replaces them all at once; returns after the gallery is saved.
    /// Upserted counts distinct ids (the last item of an id wins). Refused (ABORTED) if the model changed meanwhile.
    /// </summary>
    public async Task<(int Upserted, int IndexSize)> UpsertAsync(IAsyncEnumerable<UpsertInput> inputs, CancellationToken cancellationToken)
    {
        var state = State;
        var limits = _options.Limits;
        var budget = new CallBudget(limits, "items");
        var embedded = StreamWindow.MapAsync(inputs, async (input, i, token) =>
        {
            budget.Add(input.Image.Length);
            var field = $"item {i} (id {input.Id})";
            RequestChecks.Label(input.Label, $"{field}: label", limits);
            RequestChecks.ImagePath(input.ImagePath, $"{field}: image_path", limits);
            var embedding = await EmbedAsync(state, input.Image, $"{field}: image", token).ConfigureAwait(false);
            return new GalleryItem(input.Id, input.Label, input.ImagePath, embedding);
        }, Window, cancellationToken);
        var items = new Dictionary<long, GalleryItem>();
        await foreach (var item in embedded.ConfigureAwait(false))
        {
            items.Remove(item.Id);
            items[item.Id] = item;
        }
        if (items.Count == 0) throw new RequestException(RequestError.InvalidArgument, "the request stream held no items.");
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(State, state))
                throw new RequestException(RequestError.Aborted, "the model was reloaded while the items were embedded; send them again.");
            cancellationToken.ThrowIfCancellationRequested();
            int size = state.Gallery.Upsert([.. items.Values]);
            metrics.IndexSize.Set(size);
            return (items.Count, size);
        }
        finally { _updates.Release(); }
    }

    /// <summary>Deletes items; returns how many existed and the new size.</summary>
    public async Task<(int Deleted, int NotFound, int IndexSize)> DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) throw new RequestException(RequestError.InvalidArgument, "item_ids is empty.");
        if (ids.Count > _options.Limits.MaxItemsPerCall)
            throw new RequestException(RequestError.ResourceExhausted,
                $"item_ids holds {ids.Count} ids, above the limit of {_options.Limits.MaxItemsPerCall} ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxItemsPerCall))}).");
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

    /// <summary>
    /// Retrieval quality of labelled queries against the current gallery (HNSW search, as served), scored by core's
    /// <see cref="RetrievalMetrics"/> in query-vs-gallery mode: labels become int codes, each hit its gallery row.
    /// Queries are embedded and searched as the stream delivers them; only their rankings are kept.
    /// </summary>
    public async Task<RetrievalReport> EvaluateAsync(IAsyncEnumerable<LabelledQuery> queries, CancellationToken cancellationToken)
    {
        var state = State;
        var limits = _options.Limits;
        var budget = new CallBudget(limits, "queries");
        var gallery = state.Gallery.Items.ToArray();
        var codes = new Dictionary<string, int>();
        int Code(string label) => codes.TryGetValue(label, out var c) ? c : codes[label] = codes.Count;
        var galleryLabels = gallery.Select(i => Code(i.Label)).ToArray();
        var rows = gallery.Select((item, row) => (item.Id, row)).ToDictionary(x => x.Id, x => (long)x.row);
        var perLabel = galleryLabels.CountBy(l => l).ToDictionary();
        var queryLabels = new List<int>();
        var rankings = new List<Neighbor[]>();
        var ranked = StreamWindow.MapAsync(queries, async (query, i, token) =>
        {
            budget.Add(query.Image.Length);
            RequestChecks.Label(query.Label, $"query {i}: label", limits);
            var embedding = await EmbedAsync(state, query.Image, $"query {i}: image", token).ConfigureAwait(false);
            // Labels unknown to the gallery get a code no gallery item has: excluded from the averages, as before.
            int label = codes.TryGetValue(query.Label, out var known) ? known : -1;
            if (!perLabel.TryGetValue(label, out int count)) return (label, Array.Empty<Neighbor>());
            int ranks = Math.Max(count, RetrievalMetrics.InShopRecallAtK.Max());
            Neighbor[] ranking =
            [
                .. state.Gallery.Search(embedding, ranks, 0, false, null)
                    .Where(h => rows.ContainsKey(h.Id))
                    .Select(h => new Neighbor(rows[h.Id], 1f - h.Score)),
            ];
            return (label, ranking);
        }, Window, cancellationToken);
        await foreach (var (label, ranking) in ranked.ConfigureAwait(false))
        {
            queryLabels.Add(label);
            rankings.Add(ranking);
        }
        if (queryLabels.Count == 0) throw new RequestException(RequestError.InvalidArgument, "the request stream held no queries.");
        return RetrievalMetrics.Score(rankings, [.. queryLabels], galleryLabels, EvaluationMode.QueryVsGallery, RetrievalMetrics.InShopRecallAtK);
    }

    /// <summary>Items of one stream in flight at once: enough to fill a micro-batch, few enough to bound memory.</summary>
    private int Window => Math.Max(2, _options.MaxBatch * 2);

    private Task<float[]> EmbedAsync(ServingState state, byte[] image, string field, CancellationToken cancellationToken) =>
        EmbedAsync(state.Batcher, image, field, cancellationToken);

    private async Task<float[]> EmbedAsync(MicroBatcher batcher, byte[] image, string field, CancellationToken cancellationToken)
    {
        var input = await _decodes.PreprocessAsync(batcher.Model, image, field, cancellationToken).ConfigureAwait(false);
        return await batcher.EmbedAsync(input, cancellationToken).ConfigureAwait(false);
    }

    private void Activate(ServingState state)
    {
        Volatile.Write(ref _state, state);
        metrics.IndexSize.Set(state.Gallery.Count);
    }

    private async Task<(ServingState State, int Dropped)> BuildStateAsync(string modelPath, string indexPath, bool loadSaved,
        CancellationToken cancellationToken, IReadOnlyList<GallerySource>? sources = null)
    {
        var model = loader.Load(modelPath, cancellationToken);
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
                sources = InShopGallery.Read(_options.Data);
                logger.LogInformation("Building gallery index from {Count} gallery images under {Data}", sources.Count, _options.Data);
            }
            int dropped = 0;
            if (sources is { Count: > 0 })
            {
                (var items, dropped) = await GalleryBuilder.EmbedAsync(sources, _options.Data,
                    (bytes, field, token) => EmbedAsync(batcher, bytes, field, token), _options.Limits.MaxReceiveBytes,
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
