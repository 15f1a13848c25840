using Retrieval.Core.Storage;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Replication;

/// <summary>
/// Applies the shared gallery's rows to a replica's local gallery (its own index, logged in its own folder like any
/// write) and then records the checkpoint (<see cref="ReplicaCheckpoint"/>) in that folder; without a folder (a
/// gallery being rebuilt off to the side) it only applies.
/// </summary>
public sealed class GallerySink(GalleryStore gallery, string? checkpointFolder) : IReplicaSink
{
    /// <inheritdoc />
    public string ModelSha256 => gallery.ModelSha256;

    /// <inheritdoc />
    public void Apply(IReadOnlyList<GalleryRow> rows, Guid galleryId, long appliedThrough)
    {
        var upserts = rows.Where(r => !r.Deleted)
            .Select(r => new VectorItem(r.Id, new ItemMetadata(r.Label, r.ImagePath, r.Attributes.Count == 0 ? ItemMetadata.NoAttributes : r.Attributes),
                r.Embedding ?? throw new InvalidDataException($"gallery_items row {r.Id} is live but has no embedding.")))
            .ToArray();
        var deletes = rows.Where(r => r.Deleted).Select(r => r.Id).ToArray();
        try
        {
            if (upserts.Length > 0) gallery.Upsert(upserts);
            if (deletes.Length > 0) gallery.Delete(deletes);
        }
        catch (GalleryException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
        if (checkpointFolder is not null) new ReplicaCheckpoint(galleryId, appliedThrough).Write(checkpointFolder);
    }
}
