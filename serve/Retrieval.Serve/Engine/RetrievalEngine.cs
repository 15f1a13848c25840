using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Retrieval.Core.Metrics;
using Retrieval.Core.Search;
using Retrieval.Core.Storage;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Engine;

/// <summary>
/// The retrieval service behind the gRPC layer: embeds images through the micro-batcher and searches the live gallery.
/// Holds one <see cref="ServingState"/> (model + gallery) that a reload replaces atomically; searches never wait for a
/// reload, gallery updates wait while one runs. The gallery lives in its folder (<see cref="GalleryFolder"/>), which
/// also records the model it was embedded with, so a restart serves what was served.
/// </summary>
public sealed partial class RetrievalEngine(IOptions<ServerOptions> options, IModelLoader loader, IVectorIndexFactory indexFactory,
    ServingMetrics metrics, ILogger<RetrievalEngine> logger, PostgresGallery? database = null) : IAsyncDisposable
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

    /// <summary>The HNSW settings the live index was built with (null for another index kind).</summary>
    public HnswOptions? IndexOptions => (State.Gallery.Collection.Index as HnswIndex)?.Options;

    /// <summary>The search beam used when a call passes ef = 0 (configuration, not the saved index's setting).</summary>
    public int DefaultEf => _options.Hnsw.DefaultEf;

    private CompactionPolicy Compaction => new(_options.CompactAfter);


    /// <summary>The serving state; throws FAILED_PRECONDITION while loading.</summary>
    public ServingState State => Volatile.Read(ref _state)
        ?? throw new RequestException(RequestError.FailedPrecondition, "the server is still loading its model and gallery.");

    /// <summary>
    /// Loads the gallery folder with the model recorded in it, or, when there is none yet, creates it with the
    /// configured model from the old single-file gallery (--migrate-from), the --data listing, or empty; then serves.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = _options.IndexPath;
        GalleryFolder.RefuseFile(folder, _options.Model);
        if (database is not null)
        {
            Activate(await StartReplicaAsync(database, folder, cancellationToken).ConfigureAwait(false));
            return;
        }
        ServingState state;
        if (GalleryFolder.Exists(folder))
        {
            if (!string.IsNullOrEmpty(_options.MigrateFrom))
                logger.LogWarning("{Folder} already holds a gallery; --migrate-from {Old} is ignored", folder, _options.MigrateFrom);
            var modelPath = GalleryFolder.ChooseModel(folder, _options.Model, logger);
            state = await WithModelAsync(modelPath, (_, _) => Task.FromResult(GalleryFolder.Open(folder, indexFactory, Compaction, logger)), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            state = await WithModelAsync(_options.Model, async (model, batcher) =>
            {
                var items = await InitialItemsAsync(model, batcher, cancellationToken).ConfigureAwait(false);
                return GalleryFolder.Create(folder, model.Info.EmbeddingSize, _options.Model, model.Info.Sha256, items, indexFactory, Compaction, logger);
            }, cancellationToken).ConfigureAwait(false);
        }
        if (!string.Equals(state.Gallery.ModelSha256, state.Model.Info.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            await DisposeStateAsync(state).ConfigureAwait(false);
            throw new InvalidDataException($"{folder} holds embeddings of model sha256 {state.Gallery.ModelSha256}, the loaded model is {state.Model.Info.Sha256}.");
        }
        Activate(state);
    }

    /// <summary>
    /// Loads a model, re-embeds every gallery item off to the side and swaps model + gallery atomically (one manifest
    /// switch on disk). <paramref name="modelPath"/> names a file in the models folder (<see cref="ModelFiles"/>); empty = the current model.
    /// </summary>
    public async Task<ReloadResult> ReloadAsync(string? modelPath, CancellationToken cancellationToken)
    {
        var requested = string.IsNullOrEmpty(modelPath) ? null : ModelFiles.Resolve(_options.ModelsRoot, modelPath);
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = State;
            var path = requested ?? old.ModelPath;
            if (database is not null)
                return await ModelFiles.MapLoadErrors(modelPath ?? "", logger, () => ReloadReplicaAsync(database, old, path, cancellationToken)).ConfigureAwait(false);
            int dropped = 0;
            var next = await ModelFiles.MapLoadErrors(modelPath ?? "", logger, () => WithModelAsync(path, async (model, batcher) =>
            {
                (var items, dropped) = await GalleryBuilder.EmbedAsync(old.Gallery.Sources(), ImageEmbedder(batcher, skipUnreadable: true), logger, cancellationToken)
                    .ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var collection = GalleryFolder.InMemory(model.Info.EmbeddingSize, path, model.Info.Sha256, indexFactory, Compaction, logger);
                new GalleryStore(collection).Upsert(items);
                return GalleryFolder.Replace(old.Gallery, collection);
            }, cancellationToken)).ConfigureAwait(false);
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
        return state.Gallery.Search(embedding, WithDefaultEf(query));
    }

    /// <summary>The nearest gallery items of a caller-given embedding.</summary>
    public GalleryHit[] SearchByVector(float[] embedding, SearchQuery query)
    {
        RequestChecks.Query(query, _options.Limits);
        return State.Gallery.Search(embedding, WithDefaultEf(query));
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
            return new VectorItem(input.Id, new ItemMetadata(input.Label, input.ImagePath, input.Attributes ?? ItemMetadata.NoAttributes), embedding);
        }, Window, cancellationToken);
        var items = new Dictionary<long, VectorItem>();
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
            int size = await WriteAsync(state, [.. items.Values], cancellationToken).ConfigureAwait(false);
            return (items.Count, size);
        }
        finally { _updates.Release(); }
    }

    /// <summary>
    /// Adds or replaces items whose embeddings the caller computed (admin); labels and paths are checked as for
    /// UpsertItems and the call is capped at MaxItemsPerCall. Returns the distinct ids upserted and the new size.
    /// </summary>
    public async Task<(int Upserted, int IndexSize)> UpsertVectorsAsync(IReadOnlyList<VectorItem> items, CancellationToken cancellationToken)
    {
        var limits = _options.Limits;
        if (items.Count == 0) throw new RequestException(RequestError.InvalidArgument, "items is empty.");
        if (items.Count > limits.MaxItemsPerCall)
            throw new RequestException(RequestError.ResourceExhausted,
                $"items holds {items.Count} items, above the limit of {limits.MaxItemsPerCall} ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxItemsPerCall))}).");
        for (int i = 0; i < items.Count; i++)
        {
            var field = $"items[{i}] (id {items[i].Id})";
            RequestChecks.Label(items[i].Metadata.Label, $"{field}: label", limits);
            RequestChecks.ImagePath(items[i].Metadata.ImagePath, $"{field}: image_path", limits);
        }
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int size = await WriteAsync(State, items, cancellationToken).ConfigureAwait(false);
            return (items.Select(i => i.Id).Distinct().Count(), size);
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
            var state = State;
            var (deleted, size) = state.Replica is { } replica
                ? await replica.DeleteAsync(ids, cancellationToken).ConfigureAwait(false)
                : (state.Gallery.Delete(ids), state.Gallery.Count);
            metrics.IndexSize.Set(size);
            return (deleted, ids.Distinct().Count() - deleted, size);
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
        var gallery = state.Gallery.Sources();
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
                .. state.Gallery.Search(embedding, new SearchQuery(ranks, DefaultEf))
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

    private SearchQuery WithDefaultEf(SearchQuery query) => query.Ef > 0 ? query : query with { Ef = DefaultEf };

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

    /// <summary>Loads a model and its micro-batcher, builds the gallery that goes with them; disposes both if that fails.</summary>
    private async Task<ServingState> WithModelAsync(string modelPath, Func<IEmbeddingModel, MicroBatcher, Task<GalleryStore>> gallery,
        CancellationToken cancellationToken)
    {
        var model = loader.Load(modelPath, cancellationToken);
        var batcher = new MicroBatcher(model, _options.MaxBatch, TimeSpan.FromMilliseconds(_options.MaxWaitMs), metrics);
        try
        {
            return new ServingState(batcher, await gallery(model, batcher).ConfigureAwait(false), modelPath);
        }
        catch
        {
            await batcher.DisposeAsync().ConfigureAwait(false);
            model.Dispose();
            throw;
        }
    }

    /// <summary>A new gallery's first items: migrated from the old single-file gallery, embedded from --data, or none.</summary>
    private async Task<IReadOnlyList<VectorItem>> InitialItemsAsync(IEmbeddingModel model, MicroBatcher batcher, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.MigrateFrom))
        {
            var (sha, dimension, items) = LegacyGalleryFile.Load(_options.MigrateFrom);
            if (!string.Equals(sha, model.Info.Sha256, StringComparison.OrdinalIgnoreCase) || dimension != model.Info.EmbeddingSize)
                throw new InvalidDataException($"{_options.MigrateFrom} holds {dimension}-d embeddings of model sha256 {sha}; --model {_options.Model} is sha256 {model.Info.Sha256} " +
                    $"({model.Info.EmbeddingSize}-d). Migrate with the model that built it.");
            logger.LogInformation("Migrating {Count} items from {Old} (left untouched) into {Folder}", items.Count, _options.MigrateFrom, _options.IndexPath);
            return items;
        }
        if (string.IsNullOrEmpty(_options.Data)) return [];
        var sources = InShopGallery.Read(_options.Data);
        logger.LogInformation("Building gallery index from {Count} gallery images under {Data}", sources.Count, _options.Data);
        return (await GalleryBuilder.EmbedAsync(sources, ImageEmbedder(batcher, skipUnreadable: false), logger, cancellationToken).ConfigureAwait(false)).Items;
    }

    private Func<GallerySource, CancellationToken, Task<float[]?>> ImageEmbedder(MicroBatcher batcher, bool skipUnreadable) =>
        GalleryImageReader.Embedder(_options.Data, _options.Limits.MaxReceiveBytes, (bytes, field, token) => EmbedAsync(batcher, bytes, field, token), skipUnreadable);

    /// <summary>Writes items to the gallery (the shared one first when replicated); returns the local gallery's size after.</summary>
    private async Task<int> WriteAsync(ServingState state, IReadOnlyList<VectorItem> items, CancellationToken cancellationToken)
    {
        int size = state.Replica is { } replica ? await replica.UpsertAsync(items, cancellationToken).ConfigureAwait(false) : state.Gallery.Upsert(items);
        metrics.IndexSize.Set(size);
        return size;
    }

    private static async Task RetireAsync(ServingState old)
    {
        if (old.Replica is not null) await old.Replica.DisposeAsync().ConfigureAwait(false);
        await old.Gallery.Collection.RetireAsync().ConfigureAwait(false);
        await Task.Delay(RetireDelay).ConfigureAwait(false);
        await old.Batcher.DisposeAsync().ConfigureAwait(false);
        old.Model.Dispose();
    }

    private static async Task DisposeStateAsync(ServingState state)
    {
        if (state.Replica is not null) await state.Replica.DisposeAsync().ConfigureAwait(false);
        await state.Gallery.Collection.RetireAsync().ConfigureAwait(false);
        state.Gallery.Collection.Store?.Dispose();
        await state.Batcher.DisposeAsync().ConfigureAwait(false);
        state.Model.Dispose();
    }

    /// <summary>Waits for a running compaction, closes the gallery folder (its log and lock) and the model.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) is { } state) await DisposeStateAsync(state).ConfigureAwait(false);
    }
}
