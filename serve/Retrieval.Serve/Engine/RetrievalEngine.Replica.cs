using Microsoft.Extensions.Logging;
using Retrieval.Core.Storage;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Engine;

/// <summary>
/// The engine's start and model reload when PostgreSQL is the gallery's source of truth (--store postgres://...): the
/// replica keeps its own gallery folder (index, snapshot, log) as a copy that follows the database.
/// </summary>
public sealed partial class RetrievalEngine
{
    /// <summary>
    /// Opens the local copy (or creates it; a new, empty database is seeded from --data once), catches up with the
    /// database before serving when it answers, and from then on follows it. With the database down the replica serves
    /// its local copy at once. The model served is --model when the shared gallery is that model (the rolling-change
    /// path: restart replicas with the new model), else the one the local copy was built with.
    /// </summary>
    private async Task<ServingState> StartReplicaAsync(PostgresGallery shared, string folder, CancellationToken cancellationToken)
    {
        GalleryState? head = null;
        try
        {
            head = await shared.ReadStateAsync(cancellationToken).ConfigureAwait(false);
            if (shared.AppliedMigrations.Count > 0)
                logger.LogInformation("Created the shared gallery's tables in {Database} (schema version {Version})", shared.Target, GallerySchema.Latest);
        }
        catch (StoreException e) when (e.Error == StoreError.Unavailable)
        {
            logger.LogWarning("The shared gallery is unreachable at start ({Message}); serving the local copy and following once it answers", e.Message);
        }
        bool sharedIsConfigured = head?.ModelSha256 is { } sharedModel && File.Exists(_options.Model)
            && string.Equals(GalleryFolder.Sha256(_options.Model), sharedModel, StringComparison.OrdinalIgnoreCase);
        var modelPath = !GalleryFolder.Exists(folder) || sharedIsConfigured ? _options.Model : GalleryFolder.ChooseModel(folder, _options.Model, logger);
        var state = await WithModelAsync(modelPath, async (model, batcher) =>
        {
            if (!GalleryFolder.Exists(folder))
            {
                var created = GalleryFolder.Create(folder, model.Info.EmbeddingSize, modelPath, model.Info.Sha256, [], indexFactory, Compaction, logger);
                if (head is { Sequence: 0 } && (!string.IsNullOrEmpty(_options.Data) || !string.IsNullOrEmpty(_options.MigrateFrom)))
                {
                    var items = await InitialItemsAsync(model, batcher, cancellationToken).ConfigureAwait(false);
                    if (items.Count > 0 && await shared.SeedAsync(ToWrites(items), model.Info.Sha256, cancellationToken).ConfigureAwait(false) > 0)
                        logger.LogInformation("Seeded the new shared gallery with {Count} items", items.Count);
                }
                return created;
            }
            var local = GalleryFolder.Open(folder, indexFactory, Compaction, logger);
            if (string.Equals(local.ModelSha256, model.Info.Sha256, StringComparison.OrdinalIgnoreCase)) return local;
            logger.LogInformation("The shared gallery now holds embeddings of {Model}; replacing the local copy ({Old}) with the database's", modelPath, local.ModelSha256);
            return await CopySharedAsync(shared, local, model, modelPath, folder, cancellationToken, stopFollowing: null).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return await FollowAsync(shared, state, folder, catchUp: head is not null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// ReloadModel with a shared gallery. A model other than the gallery's switches the whole shared gallery to it (every
    /// live item re-embedded from its image under --data, as one change; items whose image cannot be read are dropped;
    /// writes elsewhere wait meanwhile, and replicas still on the old model keep serving their copy until reloaded).
    /// Then, as for a replica reloaded with the gallery's own model, the local copy is rebuilt from the database off to
    /// the side and swapped in.
    /// </summary>
    private async Task<ReloadResult> ReloadReplicaAsync(PostgresGallery shared, ServingState old, string path, CancellationToken cancellationToken)
    {
        int dropped = 0;
        var folder = _options.IndexPath;
        var next = await WithModelAsync(path, async (model, batcher) =>
        {
            var sha = model.Info.Sha256;
            var head = await shared.ReadStateAsync(cancellationToken).ConfigureAwait(false);
            if (head.ModelSha256 is { } current && !string.Equals(current, sha, StringComparison.OrdinalIgnoreCase))
            {
                logger.LogInformation("Switching the shared gallery from model {Old} to {New} ({Path}); writes wait until it commits", current, sha, path);
                (_, _, dropped) = await shared.SwitchModelAsync(sha, model.Info.EmbeddingSize, async (rows, token) =>
                {
                    var sources = rows.Select(r => new GallerySource(r.Id, r.Label, r.ImagePath, r.Attributes)).ToList();
                    var (items, _) = await GalleryBuilder.EmbedAsync(sources, ImageEmbedder(batcher, skipUnreadable: true), logger, token).ConfigureAwait(false);
                    return ToWrites(items);
                }, cancellationToken).ConfigureAwait(false);
            }
            return await CopySharedAsync(shared, old.Gallery, model, path, folder, cancellationToken, stopFollowing: old.Replica).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        next = await FollowAsync(shared, next, folder, catchUp: true, cancellationToken).ConfigureAwait(false);
        Activate(next);
        logger.LogInformation("Swapped in model {Path} (sha256 {Sha}) with the shared gallery's {Count} items", path, next.Model.Info.Sha256, next.Gallery.Count);
        _ = RetireAsync(old with { Replica = null });
        return new ReloadResult(next.Model.Info.Sha256, next.Gallery.Count, dropped);
    }

    /// <summary>
    /// Builds a copy of the shared gallery for <paramref name="model"/> in memory, stops the follower of the current copy
    /// (if any), then makes the new copy the content of the folder (one manifest switch) with its checkpoint.
    /// </summary>
    private async Task<GalleryStore> CopySharedAsync(PostgresGallery shared, GalleryStore current, IEmbeddingModel model, string modelPath, string folder,
        CancellationToken cancellationToken, ReplicatedGallery? stopFollowing)
    {
        var copy = GalleryFolder.InMemory(model.Info.EmbeddingSize, modelPath, model.Info.Sha256, indexFactory, Compaction, logger);
        var checkpoint = await ReplicatedGallery.CopyAsync(shared, new GalleryStore(copy), logger, cancellationToken).ConfigureAwait(false);
        if (stopFollowing is not null) await stopFollowing.DisposeAsync().ConfigureAwait(false);
        var gallery = GalleryFolder.Replace(current, copy);
        checkpoint.Write(folder);
        return gallery;
    }

    /// <summary>Attaches a follower to the state's gallery, catches up first when asked (and the database answers), then follows in the background.</summary>
    private async Task<ServingState> FollowAsync(PostgresGallery shared, ServingState state, string folder, bool catchUp, CancellationToken cancellationToken)
    {
        var replica = ReplicatedGallery.Open(shared, state.Gallery, folder, logger);
        if (catchUp)
        {
            try
            {
                await replica.CatchUpAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e) when (e.Error == StoreError.Unavailable)
            {
                logger.LogWarning("The shared gallery became unreachable while catching up ({Message}); serving the local copy", e.Message);
            }
        }
        replica.Start();
        return state with { Replica = replica };
    }

    private static ItemWrite[] ToWrites(IEnumerable<VectorItem> items) => [.. items.Select(ItemWrite.Of)];
}
