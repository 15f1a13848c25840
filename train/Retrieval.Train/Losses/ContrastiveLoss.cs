using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Contrastive loss with pytorch-metric-learning semantics: d_ij = ||e_i - e_j|| over all ordered pairs i != j,
/// positive pairs cost [d - m_p]+, negative pairs [m_n - d]+, each averaged over its pairs with non-zero loss
/// (0 when none), the two averages summed; 0 when there is at most one pair of each kind.
/// </summary>
public sealed class ContrastiveLoss : MetricLoss<ContrastiveSettings>
{
    public ContrastiveLoss(int numClasses, ContrastiveSettings? settings = null)
        : base("ContrastiveLoss", numClasses, settings)
    {
        RegisterComponents();
    }


    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (embeddings, labels) = (batch.Embeddings, batch.Labels);
        // Pair counts come from the host-side class counts: no device read.
        if (batch.Classes.PositivePairs <= 1 && batch.Classes.NegativePairs <= 1)
            return (embeddings * 0).sum();

        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var self = eye(labels.shape[0], dtype: ScalarType.Bool, device: labels.device);
        var positiveMask = same.logical_and(self.logical_not()).to_type(embeddings.dtype);
        var negativeMask = same.logical_not().to_type(embeddings.dtype);
        var squaredNorms = embeddings.pow(2).sum(1);
        var squared = squaredNorms.unsqueeze(1) + squaredNorms.unsqueeze(0) - 2 * embeddings.matmul(embeddings.t());
        var distance = squared.clamp_min(1e-12).sqrt();
        var positive = nn.functional.relu(distance - Settings.PositiveMarginDistance) * positiveMask;
        var negative = nn.functional.relu(Settings.NegativeMarginDistance - distance) * negativeMask;
        return AverageNonZero(positive) + AverageNonZero(negative);
    }

    private static Tensor AverageNonZero(Tensor losses) => losses.sum() / losses.gt(0).sum().clamp_min(1).to_type(losses.dtype);
}
