namespace Retrieval.Serve.Replication;

/// <summary>
/// What one read of the change feed returned: the gallery's head as of that read and up to the asked number of item
/// rows after the cursor, in (sequence, id) order. Fewer rows than asked means every change through
/// <see cref="State"/>.Sequence has been read.
/// </summary>
public sealed record ChangeBatch(GalleryState State, IReadOnlyList<GalleryRow> Rows);
