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
    private readonly SemaphoreSlim _updates = new(1, 1);
    private ServingState? _state;

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
            state = await WithModelAsync(modelPath, (_, _) => Task.FromResult(GalleryFolder.Open(folder, indexFactory, Compaction, logger))).ConfigureAwait(false);
        }
        else
        {
            state = await WithModelAsync(_options.Model, async (model, batcher) =>
            {
                var items = await InitialItemsAsync(model, batcher, cancellationToken).ConfigureAwait(false);
                return GalleryFolder.Create(folder, model.Info.EmbeddingSize, _options.Model, model.Info.Sha256, items, indexFactory, Compaction, logger);
            }).ConfigureAwait(false);
        }
        if (!string.Equals(state.Gallery.ModelSha256, state.Model.Info.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            await DisposeStateAsync(state).ConfigureAwait(false);
            throw new InvalidDataException($"{folder} holds embeddings of model sha256 {state.Gallery.ModelSha256}, the loaded model is {state.Model.Info.Sha256}.");
        }
        Activate(state);
    }

    /// <summary>Loads a model, re-embeds every gallery item off to the side and swaps model + gallery atomically (one manifest switch on disk).</summary>
    public async Task<ReloadResult> ReloadAsync(string? modelPath, CancellationToken cancellationToken)
    {
        await _updates.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var old = State;
            var path = string.IsNullOrEmpty(modelPath) ? old.ModelPath : modelPath;
            if (database is not null) return await ReloadReplicaAsync(database, old, path, cancellationToken).ConfigureAwait(false);
            int dropped = 0;
            var next = await WithModelAsync(path, async (model, batcher) =>
            {
                (var items, dropped) = await GalleryBuilder.EmbedAsync(old.Gallery.Sources(), ImageEmbedder(batcher, skipUnreadable: true), logger, cancellationToken)
                    .ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                var collection = GalleryFolder.InMemory(model.Info.EmbeddingSize, path, model.Info.Sha256, indexFactory, Compaction, logger);
                new GalleryStore(collection).Upsert(items);
                return GalleryFolder.Replace(old.Gallery, collection);
            }).ConfigureAwait(false);
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
        return state.Gallery.Search(embedding, WithDefaultEf(query));
    }

    /// <summary>The nearest gallery items of a caller-given embedding.</summary>
    public GalleryHit[] SearchByVector(float[] embedding, SearchQuery query)
    {
        ValidateQuery(query);
        return State.Gallery.Search(embedding, WithDefaultEf(query));
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
                return new VectorItem(input.Id, new ItemMetadata(input.Label, input.ImagePath, input.Attributes ?? ItemMetadata.NoAttributes), embedding);
            })).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            int size = await WriteAsync(state, items, cancellationToken).ConfigureAwait(false);
            return (items.Length, size);
        }
        finally { _updates.Release(); }
    }

    /// <summary>Adds or replaces items whose embeddings the caller computed; returns the distinct ids upserted and the new size.</summary>
    public async Task<(int Upserted, int IndexSize)> UpsertVectorsAsync(IReadOnlyList<VectorItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0) throw new RequestException(RequestError.InvalidArgument, "items is empty.");
        for (int i = 0; i < items.Count; i++)
            if (string.IsNullOrWhiteSpace(items[i].Metadata.Label))
                throw new RequestException(RequestError.InvalidArgument, $"items[{i}] (id {items[i].Id}): label is empty.");
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
    /// </summary>
    public async Task<RetrievalReport> EvaluateAsync(IReadOnlyList<LabelledQuery> queries, CancellationToken cancellationToken)
    {
        if (queries.Count == 0) throw new RequestException(RequestError.InvalidArgument, "the request stream held no queries.");
        var state = State;
        var embeddings = await Task.WhenAll(queries.Select((q, i) =>
            EmbedAsync(state, q.Image, $"query {i}: image", cancellationToken))).ConfigureAwait(false);
        var gallery = state.Gallery.Sources();
        var codes = new Dictionary<string, int>();
        int Code(string label) => codes.TryGetValue(label, out var c) ? c : codes[label] = codes.Count;
        var galleryLabels = gallery.Select(i => Code(i.Label)).ToArray();
        var queryLabels = queries.Select(q => Code(q.Label)).ToArray();
        var rows = gallery.Select((item, row) => (item.Id, row)).ToDictionary(x => x.Id, x => (long)x.row);
        var perLabel = galleryLabels.CountBy(l => l).ToDictionary();
        int ranks = RetrievalMetrics.RanksNeeded(queryLabels, galleryLabels, EvaluationMode.QueryVsGallery, RetrievalMetrics.InShopRecallAtK);
        var rankings = new Neighbor[queries.Count][];
        for (int i = 0; i < queries.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rankings[i] = !perLabel.ContainsKey(queryLabels[i]) ? [] :
            [
                .. state.Gallery.Search(embeddings[i], new SearchQuery(ranks))
                    .Where(h => rows.ContainsKey(h.Id))
                    .Select(h => new Neighbor(rows[h.Id], 1f - h.Score)),
            ];
        }
        return RetrievalMetrics.Score(rankings, queryLabels, galleryLabels, EvaluationMode.QueryVsGallery, RetrievalMetrics.InShopRecallAtK);
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

    private SearchQuery WithDefaultEf(SearchQuery query) => query.Ef > 0 ? query : query with { Ef = DefaultEf };

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

    /// <summary>Loads a model and its micro-batcher, builds the gallery that goes with them; disposes both if that fails.</summary>
    private async Task<ServingState> WithModelAsync(string modelPath, Func<IEmbeddingModel, MicroBatcher, Task<GalleryStore>> gallery)
    {
        var model = loader.Load(modelPath);
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

    /// <summary>Reads a gallery item's image (under the data root) and embeds it; null when it cannot be read and <paramref name="skipUnreadable"/>.</summary>
    private Func<GallerySource, CancellationToken, Task<float[]?>> ImageEmbedder(MicroBatcher batcher, bool skipUnreadable) => async (source, cancellationToken) =>
    {
        if (string.IsNullOrEmpty(source.ImagePath)) return skipUnreadable ? null : throw new InvalidDataException($"gallery item {source.Id} has no image path.");
        var path = InShopGallery.Resolve(_options.Data, source.ImagePath);
        float[] input;
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            input = batcher.Model.Preprocess(bytes, _options.MaxImagePixels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RequestException)
        {
            if (skipUnreadable) return null;
            throw new InvalidDataException($"gallery item {source.Id} ({path}): {e.Message}", e);
        }
        return await batcher.EmbedAsync(input, cancellationToken).ConfigureAwait(false);
    };

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
