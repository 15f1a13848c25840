namespace Retrieval.Serve.Replication;

/// <summary>
/// The shared gallery's head: its identity, the newest committed change sequence, and the model (and its embedding
/// size) every live embedding comes from (null before the first write).
/// </summary>
public sealed record GalleryState(Guid GalleryId, long Sequence, string? ModelSha256, int? Dimension);
