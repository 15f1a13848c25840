using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// MFCWMS in the reference code's dense form (C x C class matrices, plain exp, O(B C^2)): the oracle and
/// speed baseline for <see cref="MeanFieldClassWiseMultiSimilarityLoss"/> (regulariser excluded).
/// </summary>
public static class DenseMeanFieldClassWiseMultiSimilarity
{
    /// <summary>The loss for embeddings [B, D], labels [B] and raw mean fields [D, C].</summary>
    public static Tensor Compute(Tensor embeddings, Tensor labels, Tensor means, MultiSimilarityFamilySettings settings)
    {
        var (alpha, beta, lambda) = (settings.PositiveScale, settings.NegativeScale, settings.OffsetCosine);
        var classes = means.shape[1];
        var distance = 1 - embeddings.matmul(nn.functional.normalize(means, p: 2, dim: 0));
        var target = nn.functional.one_hot(labels, classes).to_type(embeddings.dtype);
        var counts = target.sum(dim: 0);
        var normalized = target / counts.clamp_min(1);
        var positive = normalized.t().matmul((alpha * (distance + lambda - 1)).exp());
        var negative = normalized.t().matmul((-beta * (distance + lambda - 1)).exp());
        negative = negative + negative.t();
        var diagonal = eye(classes, dtype: embeddings.dtype, device: embeddings.device);
        var present = counts.count_nonzero().to_type(embeddings.dtype);
        return (1 + positive * diagonal).log().sum() / (alpha * present)
               + (1 + negative * (1 - diagonal)).log().sum() / (2 * beta * present);
    }
}
