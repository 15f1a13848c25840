using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Base of every metric-learning loss: (embeddings [B,D] L2-normalised, labels [B] int64 in 0..C-1) -> scalar.
/// Checks the input with a clear <see cref="ArgumentException"/>, then calls the loss's formula.
/// Shape and type checks read only metadata and always run. The value checks (labels in range, finite rows, unit
/// norms) read the tensors, which on a GPU means waiting for the device: they run while <see cref="CheckValues"/> is
/// true (the default), with all values fetched in one device-to-host copy. The trainer turns them on for the first
/// step of every epoch only (and for every step under <c>--check-every-step</c>).
/// Labels may stay on the CPU when the embeddings are on a GPU: the class structure is built from them without a copy back.
/// Learnable loss parameters (mean fields, proxies, class weights) are registered parameters, listed by
/// <see cref="LossParameters"/>, so a trainer can give them their own optimizer group.
/// </summary>
public abstract class MetricLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>How far a row norm may be from 1 and still count as L2-normalised.</summary>
    public const double NormTolerance = 1e-3;

    /// <summary>Checks <paramref name="settings"/> (each parameter in its range) and the class count.</summary>
    protected MetricLoss(string name, int numClasses, LossSettings settings) : base(name)
    {
        if (numClasses < 1) throw new ArgumentException($"{name}: number of classes must be at least 1, got {numClasses}", nameof(numClasses));
        settings.Validate();
        NumClasses = numClasses;
    }

    /// <summary>Number of training classes C; labels must lie in 0..C-1.</summary>
    public int NumClasses { get; }

    /// <summary>Whether <see cref="forward"/> checks the input's values (one device read per call); shapes are always checked.</summary>
    public bool CheckValues { get; set; } = true;

    /// <summary>The learnable parameters of the loss itself (empty for pair-based losses).</summary>
    public IReadOnlyList<Parameter> LossParameters => parameters().ToList();

    public sealed override Tensor forward(Tensor embeddings, Tensor labels)
    {
        CheckShapes(embeddings, labels);
        if (CheckValues) CheckValuesOf(embeddings, labels);
        return ComputeLoss(new LossBatch(embeddings, labels));
    }

    /// <summary>The loss formula; the input is already checked.</summary>
    protected abstract Tensor ComputeLoss(LossBatch batch);

    /// <summary>1 off the diagonal, 0 on it: [n, n] in the embeddings' type and device.</summary>
    protected static Tensor OffDiagonal(long n, Tensor like) => ones(n, n, dtype: like.dtype, device: like.device) - eye(n, dtype: like.dtype, device: like.device);

    private void CheckShapes(Tensor embeddings, Tensor labels)
    {
        if (embeddings.dim() != 2)
            throw new ArgumentException($"{GetName()}: embeddings must be [batch, dim], got shape [{string.Join(", ", embeddings.shape)}]", nameof(embeddings));
        if (embeddings.dtype != ScalarType.Float32 && embeddings.dtype != ScalarType.Float64)
            throw new ArgumentException($"{GetName()}: embeddings must be float32 or float64, got {embeddings.dtype}", nameof(embeddings));
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64)
            throw new ArgumentException($"{GetName()}: labels must be a 1-D int64 tensor, got {labels.dtype} of shape [{string.Join(", ", labels.shape)}]", nameof(labels));
        if (labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException($"{GetName()}: {embeddings.shape[0]} embeddings but {labels.shape[0]} labels", nameof(labels));
        if (embeddings.shape[0] == 0)
            throw new ArgumentException($"{GetName()}: the batch is empty", nameof(embeddings));
        if (labels.device_type != DeviceType.CPU && labels.device != embeddings.device)
            throw new ArgumentException($"{GetName()}: labels on {labels.device} but embeddings on {embeddings.device}; pass labels on the CPU or on the embeddings' device", nameof(labels));
        foreach (var p in parameters())
            if (p.dtype != embeddings.dtype)
                throw new ArgumentException($"{GetName()}: embeddings are {embeddings.dtype} but the loss parameters are {p.dtype}; move the loss with .to()", nameof(embeddings));
    }

    private void CheckValuesOf(Tensor embeddings, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var label = labels.to_type(ScalarType.Float64);
        var labelRange = DeviceUpload.To(stack([label.min(), label.max()]), embeddings.device);
        var badRow = isfinite(embeddings).all(1).logical_not().to_type(ScalarType.Int32);
        var norm = embeddings.norm(1);
        var worst = (norm - 1).abs().argmax();
        // [min label, max label, any bad row, first bad row, worst-norm row, its norm]: one device-to-host copy.
        var summary = cat([labelRange, stack([badRow.max().to_type(ScalarType.Float64), badRow.argmax().to_type(ScalarType.Float64),
            worst.to_type(ScalarType.Float64), norm.gather(0, worst.view(1)).squeeze(0).to_type(ScalarType.Float64)])]);
        var v = summary.cpu().data<double>().ToArray();
        if (v[0] < 0 || v[1] >= NumClasses)
            throw new ArgumentException($"{GetName()}: labels must lie in 0..{NumClasses - 1}, found {(long)(v[0] < 0 ? v[0] : v[1])}", nameof(labels));
        if (v[2] > 0)
            throw new ArgumentException($"{GetName()}: embedding row {(long)v[3]} has a NaN or infinite value", nameof(embeddings));
        if (Math.Abs(v[5] - 1) > NormTolerance)
            throw new ArgumentException($"{GetName()}: embeddings must be L2-normalised; row {(long)v[4]} has norm {v[5]:G6}", nameof(embeddings));
    }
}
