using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Multi-similarity loss with its miner (PML semantics): over the mined pairs of each anchor a,
/// l_a = (1/alpha) log[1 + sum_p exp(-alpha (S_ap - base))] + (1/beta) log[1 + sum_n exp(beta (S_an - base))],
/// L = mean_a l_a (anchors without mined pairs count 0; 0 when at most one pair of each kind is mined).
/// Defaults alpha 2, beta 50, base 0.5, miner eps 0.1.
/// </summary>
public sealed class MultiSimilarityLoss : MetricLoss
{
    private readonly MultiSimilarityMiner _miner;

    public MultiSimilarityLoss(int numClasses, double alpha = 2, double beta = 50, double baseSimilarity = 0.5, double epsilon = 0.1)
        : base("MultiSimilarityLoss", numClasses)
    {
        Alpha = Positive(alpha, "alpha");
        Beta = Positive(beta, "beta");
        Base = Finite(baseSimilarity, "margin");
        _miner = new MultiSimilarityMiner(epsilon);
        RegisterComponents();
    }

    /// <summary>alpha, the positive scale.</summary>
    public double Alpha { get; }

    /// <summary>beta, the negative scale.</summary>
    public double Beta { get; }

    /// <summary>base, the similarity offset.</summary>
    public double Base { get; }

    /// <summary>The miner's eps.</summary>
    public double Epsilon => _miner.Epsilon;

    protected override Tensor ComputeLoss(Tensor embeddings, Tensor labels)
    {
        var similarity = embeddings.matmul(embeddings.t());
        var (positive, negative) = _miner.Mine(similarity, labels);
        if (positive.sum().to_type(ScalarType.Int64).item<long>() <= 1 && negative.sum().to_type(ScalarType.Int64).item<long>() <= 1)
            return (embeddings * 0).sum();
        var positiveTerm = SegmentOps.LogOnePlusSumExp((-Alpha * (similarity - Base)).masked_fill(positive.logical_not(), double.NegativeInfinity), 1) / Alpha;
        var negativeTerm = SegmentOps.LogOnePlusSumExp((Beta * (similarity - Base)).masked_fill(negative.logical_not(), double.NegativeInfinity), 1) / Beta;
        return (positiveTerm + negativeTerm).mean();
    }
}
