using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Proxy-Anchor loss (pytorch-metric-learning semantics): proxies p_c [C, D] (Kaiming-normal, fan-out), s_ic = cos(e_i, p_c),
/// L = (1/|C+|) sum_{c in C+} log[1 + sum_{i in c} exp(-alpha (s_ic - delta))] + (1/C) sum_c log[1 + sum_{i not in c} exp(alpha (s_ic + delta))],
/// C+ = classes present in the batch.
/// </summary>
public sealed class ProxyAnchorLoss : MetricLoss<ProxyAnchorSettings>
{
    public ProxyAnchorLoss(int numClasses, int embeddingSize, ProxyAnchorSettings? settings = null)
        : base("ProxyAnchorLoss", numClasses, settings)
    {
        if (embeddingSize < 1) throw new ArgumentException($"ProxyAnchorLoss: embedding size must be at least 1, got {embeddingSize}", nameof(embeddingSize));
        register_parameter("proxies", new Parameter(nn.init.kaiming_normal_(empty(numClasses, embeddingSize), mode: nn.init.FanInOut.FanOut)));
        RegisterComponents();
    }


    /// <summary>The proxy parameter [C, D] (looked up by name: .to() replaces it).</summary>
    public Parameter Proxies => get_parameter("proxies")!;

    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (delta, alpha) = (Settings.MarginCosine, Settings.Scale);
        var classes = batch.Classes;
        var cosine = batch.Embeddings.matmul(nn.functional.normalize(Proxies, p: 2, dim: 1).t());
        var own = cosine.gather(1, batch.Labels.unsqueeze(1)).squeeze(1);
        var positive = nn.functional.softplus(SegmentOps.LogSumExpByClass(-alpha * (own - delta), classes)).sum() / classes.Count;
        var isOwn = nn.functional.one_hot(batch.Labels, NumClasses).to_type(ScalarType.Bool);
        var negativeLogits = (alpha * (cosine + delta)).masked_fill(isOwn, double.NegativeInfinity);
        var negative = SegmentOps.LogOnePlusSumExp(negativeLogits, 0).sum() / NumClasses;
        return positive + negative;
    }
}
