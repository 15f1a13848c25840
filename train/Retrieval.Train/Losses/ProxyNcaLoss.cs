using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// ProxyNCA (PML semantics): proxies p_c [C, D] initialised N(0, 1) and L2-normalised, squared Euclidean distance
/// d_ic = ||e_i - p_c||^2, L = mean_i -log softmax_c(-s d_ic)[y_i]; default s (softmax_scale) = 32.
/// </summary>
public sealed class ProxyNcaLoss : MetricLoss<ProxyNcaSettings>
{
    public ProxyNcaLoss(int numClasses, int embeddingSize, ProxyNcaSettings? settings = null) : base("ProxyNcaLoss", numClasses, settings)
    {
        if (embeddingSize < 1) throw new ArgumentException($"ProxyNcaLoss: embedding size must be at least 1, got {embeddingSize}", nameof(embeddingSize));
        register_parameter("proxies", new Parameter(nn.init.normal_(empty(numClasses, embeddingSize))));
        RegisterComponents();
    }


    /// <summary>The proxy parameter [C, D] (looked up by name: .to() replaces it).</summary>
    public Parameter Proxies => get_parameter("proxies")!;

    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var embeddings = batch.Embeddings;
        var proxies = nn.functional.normalize(Proxies, p: 2, dim: 1);
        var squared = embeddings.pow(2).sum(1, keepdim: true) + proxies.pow(2).sum(1).unsqueeze(0) - 2 * embeddings.matmul(proxies.t());
        return nn.functional.cross_entropy(-Settings.SoftmaxScale * squared, batch.Labels);
    }
}
