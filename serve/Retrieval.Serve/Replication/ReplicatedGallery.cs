using Microsoft.Extensions.Logging;
using Retrieval.Core.Storage;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Replication;

/// <summary>
/// A replica's gallery when PostgreSQL is the source of truth: the local <see cref="GalleryStore"/> (searched as in the
/// embedded mode, never waiting for the database) kept up to date by a <see cref="ChangeFollower"/>, and writes that
/// go to the database first. A write is acknowledged once its transaction commits; before replying, this replica
/// applies it (and anything committed before it) through the follower, the one path every change takes, so its
/// order is the database's on every replica.
/// </summary>
public sealed class ReplicatedGallery : IAsyncDisposable
{
    private readonly PostgresGallery _database;
    private readonly GalleryStore _gallery;
    private readonly ChangeFollower _follower;
    private readonly ILogger _logger;

    private ReplicatedGallery(PostgresGallery database, GalleryStore gallery, ChangeFollower follower, ILogger logger) =>
        (_database, _gallery, _follower, _logger) = (database, gallery, follower, logger);

    /// <summary>Where the replica stands in the shared gallery's change sequence.</summary>
    public ReplicationStatus Status => _follower.Status;

    /// <summary>The database followed (no password).</summary>
    public string Source => _database.Target.ToString();

    /// <summary>Follows <paramref name="database"/> into <paramref name="gallery"/>, whose folder's checkpoint says where it stands (not started yet).</summary>
    public static ReplicatedGallery Open(PostgresGallery database, GalleryStore gallery, string folder, ILogger logger, FollowerOptions? options = null)
    {
        var checkpoint = ReplicaCheckpoint.Read(folder);
        var follower = new ChangeFollower(database, new GallerySink(gallery, folder), checkpoint?.Sequence ?? 0, checkpoint?.GalleryId, logger, options);
        return new ReplicatedGallery(database, gallery, follower, logger);
    }

    /// <summary>
    /// Fills <paramref name="empty"/> (a gallery in memory, not yet anyone's) with the database's items of its model;
    /// returns the gallery's identity and the sequence the copy is complete through, for the folder's checkpoint.
    /// </summary>
    public static async Task<ReplicaCheckpoint> CopyAsync(PostgresGallery database, GalleryStore empty, ILogger logger, CancellationToken cancellationToken)
    {
        await using var follower = new ChangeFollower(database, new GallerySink(empty, checkpointFolder: null), 0, null, logger);
        long applied = await follower.CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (follower.Status.Problem is { } problem) throw new StoreException(StoreError.ModelMismatch, $"cannot copy the shared gallery: {problem}");
        return new ReplicaCheckpoint((await database.ReadStateAsync(cancellationToken).ConfigureAwait(false)).GalleryId, applied);
    }

    /// <summary>Applies what the database committed that this replica lacks; returns the applied sequence (throws <see cref="StoreException"/> when unreachable).</summary>
    public Task<long> CatchUpAsync(CancellationToken cancellationToken) => _follower.CatchUpAsync(cancellationToken);

    /// <summary>Follows in the background from now on.</summary>
    public void Start() => _follower.Start();

    /// <summary>Writes items (validated by the local gallery first) to the database; returns the local gallery's size once this replica serves them.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<VectorItem> items, CancellationToken cancellationToken)
    {
        _gallery.Validate(items);
        long sequence = await _database.UpsertAsync([.. items.Select(ItemWrite.Of)], _gallery.ModelSha256, cancellationToken).ConfigureAwait(false);
        await SettleAsync(sequence).ConfigureAwait(false);
        return _gallery.Count;
    }

    /// <summary>Deletes items in the database; returns how many were live there and the local gallery's size once this replica applied it.</summary>
    public async Task<(int Deleted, int IndexSize)> DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var (sequence, deleted) = await _database.DeleteAsync(ids, _gallery.ModelSha256, cancellationToken).ConfigureAwait(false);
        if (deleted > 0) await SettleAsync(sequence).ConfigureAwait(false);
        return (deleted, _gallery.Count);
    }

    /// <summary>Stops following.</summary>
    public ValueTask DisposeAsync() => _follower.DisposeAsync();

    // The write is committed (acknowledged whatever happens next); apply it here before replying when the database still answers.
    private async Task SettleAsync(long sequence)
    {
        try
        {
            long applied = await _follower.CatchUpAsync(CancellationToken.None).ConfigureAwait(false);
            if (applied < sequence)
                _logger.LogWarning("Change {Sequence} is committed but not applied on this replica yet: {Problem}", sequence, _follower.Status.Problem);
        }
        catch (StoreException e)
        {
            _logger.LogWarning("Change {Sequence} is committed; this replica applies it when the database answers again ({Message})", sequence, e.Message);
        }
    }
}
