using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Mean-field class-wise multi-similarity loss (MFCWMS), the paper's main loss:
/// L = 1/(alpha C_B) sum_{c in B} log[1 + (1/N_c) sum_{i in c} exp(-alpha (e_i.M_c - lam))]
///   + 1/(beta C_B) sum_{unordered c != c', one in B} log[1 + (1/N_c) sum_{i in c} exp(beta (e_i.M_c' - lam)) + (1/N_c') sum_{j in c'} exp(beta (e_j.M_c - lam))]
///   + lambda_mf (1/C) sum_c sum_{c' != c} [softplus_beta(M_c.M_c' - lam)]^2.
/// Only the C_B x C block of classes present in the batch is formed (O(B C D)), in log space (stable for large beta).
/// </summary>
public sealed class MeanFieldClassWiseMultiSimilarityLoss : MeanFieldLoss<MeanFieldClassWiseMultiSimilaritySettings>
{
    public MeanFieldClassWiseMultiSimilarityLoss(int numClasses, int embeddingSize, MeanFieldClassWiseMultiSimilaritySettings? settings = null)
        : base("MeanFieldClassWiseMultiSimilarityLoss", numClasses, embeddingSize, settings)
    {
        RegisterComponents();
    }


    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (alpha, beta, lambda) = (Settings.PositiveScale, Settings.NegativeScale, Settings.OffsetCosine);
        var (embeddings, classes) = (batch.Embeddings, batch.Classes);
        var means = NormalizedMeans();
        var similarity = embeddings.matmul(means);
        var logCounts = classes.LogCounts(embeddings.dtype);

        var own = similarity.gather(1, batch.Labels.unsqueeze(1)).squeeze(1);
        var positiveLog = SegmentOps.LogSumExpByClass(-alpha * (own - lambda), classes) - logCounts;
        var positive = nn.functional.softplus(positiveLog).sum() / (alpha * classes.Count);

        // negLog[c, c'] = log (1/N_c) sum_{i in c} exp(beta (e_i.M_c' - lam)) for present c and every c'.
        var negLog = SegmentOps.LogSumExpByClass(beta * (similarity - lambda), classes) - logCounts.unsqueeze(1);
        var absent = ones(NumClasses, dtype: embeddings.dtype, device: embeddings.device).index_fill(0, classes.Classes, 0.0);
        var withAbsent = (nn.functional.softplus(negLog) * absent).sum();
        var block = negLog.index_select(1, classes.Classes);
        var bothPresent = stack([zeros_like(block), block, block.t()]).logsumexp(dim: 0) * OffDiagonal(classes.Count, embeddings);
        var negative = (withAbsent + bothPresent.sum() / 2) / (beta * classes.Count);

        var loss = positive + negative;
        if (MeanFieldWeight == 0) return loss;
        var overlap = nn.functional.softplus(means.t().matmul(means) - lambda, beta: beta).pow(2) * OffDiagonal(NumClasses, embeddings);
        return loss + MeanFieldWeight * overlap.sum(1).mean();
    }
}
