using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// ProxyNCA (PML semantics): proxies p_c [C, D] initialised N(0, 1) and L2-normalised, squared Euclidean distance
/// d_ic = ||e_i - p_c||^2, L = mean_i -log softmax_c(-s d_ic)[y_i]; default s (softmax_scale) = 32.
/// </summary>
public sealed class ProxyNcaLoss : MetricLoss
{
    public ProxyNcaLoss(int numClasses, int embeddingSize, double scale = 32) : base("ProxyNcaLoss", numClasses)
    {
        if (embeddingSize < 1) throw new ArgumentException($"ProxyNcaLoss: embedding size must be at least 1, got {embeddingSize}", nameof(embeddingSize));
        Scale = Positive(scale, "scale");
        register_parameter("proxies", new Parameter(nn.init.normal_(empty(numClasses, embeddingSize))));
        RegisterComponents();
    }

    /// <summary>s, the softmax scale.</summary>
    public double Scale { get; }

    /// <summary>The proxy parameter [C, D] (looked up by name: .to() replaces it).</summary>
    public Parameter Proxies => get_parameter("proxies")!;

    protected override Tensor ComputeLoss(Tensor embeddings, Tensor labels)
    {
        var proxies = nn.functional.normalize(Proxies, p: 2, dim: 1);
        var squared = embeddings.pow(2).sum(1, keepdim: true) + proxies.pow(2).sum(1).unsqueeze(0) - 2 * embeddings.matmul(proxies.t());
        return nn.functional.cross_entropy(-Scale * squared, labels);
    }
}
