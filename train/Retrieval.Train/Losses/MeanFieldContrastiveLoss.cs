using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Mean-field contrastive loss (MFCont): with d_ic = 1 - e_i.M_c,
/// L = (1/B) sum_i ( [d_{i,y_i} - m_p]+ + sum_{c != y_i} [m_n - d_ic]+ ) + lambda_mf (1/C) sum_c sum_{c' != c} [m_n - (1 - M_c.M_c')]+^2.
/// Cost O(B C D); the regulariser's C x C work runs only when lambda_mf &gt; 0.
/// </summary>
public sealed class MeanFieldContrastiveLoss : MeanFieldLoss
{
    public MeanFieldContrastiveLoss(int numClasses, int embeddingSize, double positiveMargin = 0.02, double negativeMargin = 0.3, double meanFieldWeight = 0)
        : base("MeanFieldContrastiveLoss", numClasses, embeddingSize, meanFieldWeight)
    {
        PositiveMargin = Finite(positiveMargin, "pos-margin");
        NegativeMargin = Finite(negativeMargin, "neg-margin");
        RegisterComponents();
    }

    /// <summary>m_p: positive distances below it cost nothing.</summary>
    public double PositiveMargin { get; }

    /// <summary>m_n: negative distances above it cost nothing.</summary>
    public double NegativeMargin { get; }

    protected override Tensor ComputeLoss(Tensor embeddings, Tensor labels)
    {
        var means = NormalizedMeans();
        var distance = 1 - embeddings.matmul(means);
        var own = distance.gather(1, labels.unsqueeze(1));
        // Negatives: every class, minus the sample's own (the same float values, so the two cancel exactly).
        var negative = nn.functional.relu(NegativeMargin - distance).sum() - nn.functional.relu(NegativeMargin - own).sum();
        var loss = (nn.functional.relu(own - PositiveMargin).sum() + negative) / labels.shape[0];
        if (MeanFieldWeight == 0) return loss;
        var classDistance = 1 - means.t().matmul(means);
        var overlap = nn.functional.relu(NegativeMargin - classDistance).pow(2) * OffDiagonal(NumClasses, embeddings);
        return loss + MeanFieldWeight * overlap.sum(1).mean();
    }
}
