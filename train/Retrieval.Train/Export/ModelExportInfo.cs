namespace Retrieval.Train.Export;

/// <summary>What the exported model records about its training beyond the network's own configuration.</summary>
/// <param name="ResizeSize">Shorter side images are resized to before the centre crop of ImageSize (evaluation preprocessing).</param>
/// <param name="Loss">Loss name the model was trained with.</param>
/// <param name="Dataset">Training data set name.</param>
/// <param name="ValidationMetrics">Validation metrics of the exported checkpoint (e.g. "map_at_r" -> 0.41).</param>
/// <param name="GitRevision">Code revision; null reads it with `git rev-parse HEAD` ("unknown" when that fails).</param>
public sealed record ModelExportInfo(
    int ResizeSize,
    string Loss,
    string Dataset,
    IReadOnlyDictionary<string, double> ValidationMetrics,
    string? GitRevision = null);
