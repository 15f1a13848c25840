namespace Retrieval.Serve.Replication;

/// <summary>
/// What a <see cref="ChangeFollower"/> keeps up to date: a replica's local gallery (its own index and snapshot).
/// Called from one thread at a time, in sequence order.
/// </summary>
public interface IReplicaSink
{
    /// <summary>The model this replica embeds with: rows of another model are never applied.</summary>
    string ModelSha256 { get; }

    /// <summary>
    /// Applies item rows (distinct ids, ascending sequence: each is the item's latest state, a deleted row removes it)
    /// and records that every change of gallery <paramref name="galleryId"/> through <paramref name="appliedThrough"/>
    /// is now in the local gallery.
    /// </summary>
    void Apply(IReadOnlyList<GalleryRow> rows, Guid galleryId, long appliedThrough);
}
