using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Base of every metric-learning loss: (embeddings [B,D] L2-normalised, labels [B] int64 in 0..C-1) -> scalar.
/// Validates the input with a clear <see cref="ArgumentException"/>, then calls the loss's formula.
/// Learnable loss parameters (mean fields, proxies, class weights) are registered parameters, listed by
/// <see cref="LossParameters"/>, so a trainer can give them their own optimizer group.
/// </summary>
public abstract class MetricLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>How far a row norm may be from 1 and still count as L2-normalised.</summary>
    public const double NormTolerance = 1e-3;

    protected MetricLoss(string name, int numClasses) : base(name)
    {
        if (numClasses < 1) throw new ArgumentException($"{name}: number of classes must be at least 1, got {numClasses}", nameof(numClasses));
        NumClasses = numClasses;
    }

    /// <summary>Number of training classes C; labels must lie in 0..C-1.</summary>
    public int NumClasses { get; }

    /// <summary>The learnable parameters of the loss itself (empty for pair-based losses).</summary>
    public IReadOnlyList<Parameter> LossParameters => parameters().ToList();

    public sealed override Tensor forward(Tensor embeddings, Tensor labels)
    {
        Validate(embeddings, labels);
        return ComputeLoss(embeddings, labels);
    }

    /// <summary>The loss formula; inputs are already validated.</summary>
    protected abstract Tensor ComputeLoss(Tensor embeddings, Tensor labels);

    /// <summary>Returns <paramref name="value"/> when it is finite and &gt; 0, else throws naming the parameter.</summary>
    protected static double Positive(double value, string parameter) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentException($"loss parameter {parameter} must be a positive number, got {value}", parameter);

    /// <summary>Returns <paramref name="value"/> when it is finite and &gt;= 0, else throws naming the parameter.</summary>
    protected static double NonNegative(double value, string parameter) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentException($"loss parameter {parameter} must be a finite number >= 0, got {value}", parameter);

    /// <summary>Returns <paramref name="value"/> when it is finite, else throws naming the parameter.</summary>
    protected static double Finite(double value, string parameter) =>
        double.IsFinite(value) ? value : throw new ArgumentException($"loss parameter {parameter} must be a finite number, got {value}", parameter);

    /// <summary>1 off the diagonal, 0 on it: [n, n] in the embeddings' type and device.</summary>
    protected static Tensor OffDiagonal(long n, Tensor like) => ones(n, n, dtype: like.dtype, device: like.device) - eye(n, dtype: like.dtype, device: like.device);

    private void Validate(Tensor embeddings, Tensor labels)
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
        foreach (var p in parameters())
            if (p.dtype != embeddings.dtype)
                throw new ArgumentException($"{GetName()}: embeddings are {embeddings.dtype} but the loss parameters are {p.dtype}; move the loss with .to()", nameof(embeddings));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var min = labels.min().item<long>();
        var max = labels.max().item<long>();
        if (min < 0 || max >= NumClasses)
            throw new ArgumentException($"{GetName()}: labels must lie in 0..{NumClasses - 1}, found {(min < 0 ? min : max)}", nameof(labels));
        var finite = isfinite(embeddings).all(1);
        if (!finite.all().item<bool>())
            throw new ArgumentException($"{GetName()}: embedding row {finite.logical_not().nonzero()[0, 0].item<long>()} has a NaN or infinite value", nameof(embeddings));
        var deviation = (embeddings.norm(1) - 1).abs();
        var worst = deviation.argmax().item<long>();
        if (deviation[worst].to_type(ScalarType.Float64).item<double>() > NormTolerance)
            throw new ArgumentException($"{GetName()}: embeddings must be L2-normalised; row {worst} has norm {embeddings[worst].norm().to_type(ScalarType.Float64).item<double>():G6}", nameof(embeddings));
    }
}
