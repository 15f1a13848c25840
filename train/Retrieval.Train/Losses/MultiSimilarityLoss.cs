using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Multi-similarity loss with its miner (PML semantics): over the mined pairs of each anchor a,
/// l_a = (1/alpha) log[1 + sum_p exp(-alpha (S_ap - base))] + (1/beta) log[1 + sum_n exp(beta (S_an - base))],
/// L = mean_a l_a (anchors without mined pairs count 0; 0 when at most one pair of each kind is mined).
/// Defaults alpha 2, beta 50, base 0.5, miner eps 0.1.
/// </summary>
public sealed class MultiSimilarityLoss : MetricLoss<MultiSimilaritySettings>
{
    private readonly MultiSimilarityMiner _miner;

    public MultiSimilarityLoss(int numClasses, MultiSimilaritySettings? settings = null)
        : base("MultiSimilarityLoss", numClasses, settings)
    {
        _miner = new MultiSimilarityMiner(Settings.MinerMarginCosine);
        RegisterComponents();
    }


    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (alpha, beta, offset) = (Settings.PositiveScale, Settings.NegativeScale, Settings.OffsetCosine);
        var similarity = batch.Embeddings.matmul(batch.Embeddings.t());
        var (positive, negative) = _miner.Mine(similarity, batch.Labels);
        var positiveTerm = SegmentOps.LogOnePlusSumExp((-alpha * (similarity - offset)).masked_fill(positive.logical_not(), double.NegativeInfinity), 1) / alpha;
        var negativeTerm = SegmentOps.LogOnePlusSumExp((beta * (similarity - offset)).masked_fill(negative.logical_not(), double.NegativeInfinity), 1) / beta;
        var loss = (positiveTerm + negativeTerm).mean();
        // On the device (no read back): 0 when at most one pair of each kind was mined.
        var tooFew = positive.sum().le(1).logical_and(negative.sum().le(1));
        return where(tooFew, zeros_like(loss), loss);
    }
}
