using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Mean-field contrastive loss (MFCont): with d_ic = 1 - e_i.M_c,
/// L = (1/B) sum_i ( [d_{i,y_i} - m_p]+ + sum_{c != y_i} [m_n - d_ic]+ ) + lambda_mf (1/C) sum_c sum_{c' != c} [m_n - (1 - M_c.M_c')]+^2.
/// Cost O(B C D); the regulariser's C x C work runs only when lambda_mf &gt; 0.
/// </summary>
public sealed class MeanFieldContrastiveLoss : MeanFieldLoss<MeanFieldContrastiveSettings>
{
    public MeanFieldContrastiveLoss(int numClasses, int embeddingSize, MeanFieldContrastiveSettings? settings = null)
        : base("MeanFieldContrastiveLoss", numClasses, embeddingSize, settings)
    {
        RegisterComponents();
    }


    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (positiveMargin, negativeMargin) = (Settings.PositiveMarginDistance, Settings.NegativeMarginDistance);
        var means = NormalizedMeans();
        var distance = 1 - batch.Embeddings.matmul(means);
        var own = distance.gather(1, batch.Labels.unsqueeze(1));
        // Negatives: every class, minus the sample's own (the same float values, so the two cancel exactly).
        var negative = nn.functional.relu(negativeMargin - distance).sum() - nn.functional.relu(negativeMargin - own).sum();
        var loss = (nn.functional.relu(own - positiveMargin).sum() + negative) / batch.Count;
        if (MeanFieldWeight == 0) return loss;
        var classDistance = 1 - means.t().matmul(means);
        var overlap = nn.functional.relu(negativeMargin - classDistance).pow(2) * OffDiagonal(NumClasses, batch.Embeddings);
        return loss + MeanFieldWeight * overlap.sum(1).mean();
    }
}
