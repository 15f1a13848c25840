using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// What a loss formula receives: validated embeddings [B, D], the labels [B] on the embeddings' device, and the batch's
/// class structure, built on first use from a host copy of the labels (labels passed on the CPU need no device-to-host copy).
/// </summary>
public sealed class LossBatch
{
    private readonly Tensor _hostLabels;
    private BatchClasses? _classes;

    internal LossBatch(Tensor embeddings, Tensor labels)
    {
        Embeddings = embeddings;
        _hostLabels = labels.device_type == DeviceType.CPU ? labels : labels.cpu();
        Labels = labels.device == embeddings.device ? labels : DeviceUpload.To(labels, embeddings.device);
    }

    /// <summary>L2-normalised embeddings [B, D].</summary>
    public Tensor Embeddings { get; }

    /// <summary>Train-class labels [B] (int64, 0..C-1) on the embeddings' device.</summary>
    public Tensor Labels { get; }

    /// <summary>B, the batch size.</summary>
    public long Count => Labels.shape[0];

    /// <summary>The classes present in the batch, their counts and members.</summary>
    public BatchClasses Classes => _classes ??= new BatchClasses(_hostLabels, Embeddings.device);
}
