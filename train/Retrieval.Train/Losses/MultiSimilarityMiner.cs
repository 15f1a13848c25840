using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// The multi-similarity miner (PML semantics) on cosine similarities S: keeps positive pair (a, p) when
/// S_ap - eps &lt; max_n S_an (the anchor's hardest negative) and negative pair (a, n) when S_an + eps &gt; min_p S_ap
/// (its hardest positive); i != j always.
/// </summary>
public sealed class MultiSimilarityMiner
{
    public MultiSimilarityMiner(double epsilon = 0.1)
    {
        Epsilon = double.IsFinite(epsilon) && epsilon >= 0 ? epsilon : throw new ArgumentException($"miner epsilon must be a finite number >= 0, got {epsilon}", nameof(epsilon));
    }

    /// <summary>eps, the mining margin.</summary>
    public double Epsilon { get; }

    /// <summary>Boolean masks [B, B] of the mined positive and negative pairs (no gradient).</summary>
    public (Tensor Positive, Tensor Negative) Mine(Tensor similarity, Tensor labels)
    {
        using var _ = no_grad();
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var positive = same.logical_and(eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device).logical_not());
        var negative = same.logical_not();
        // An anchor without negatives has hardest negative -inf and keeps no positive; one without positives has hardest
        // positive +inf and keeps no negative: no special case (and no device read) is needed.
        var hardestNegative = similarity.masked_fill(negative.logical_not(), double.NegativeInfinity).amax([1], keepdim: true);
        var hardestPositive = similarity.masked_fill(positive.logical_not(), double.PositiveInfinity).amin([1], keepdim: true);
        return (positive.logical_and((similarity - Epsilon).lt(hardestNegative)),
                negative.logical_and((similarity + Epsilon).gt(hardestPositive)));
    }
}
