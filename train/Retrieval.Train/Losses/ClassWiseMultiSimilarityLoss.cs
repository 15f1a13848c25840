using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Class-wise multi-similarity loss (CWMS), the pair-based parent of MFCWMS; with S_ij = e_i.e_j,
/// L = 1/(alpha C_B) sum_c log[1 + 1/(2 N_c^2) sum_{i,j in c} exp(-alpha (S_ij - lam))]
///   + 1/(beta C_B) sum_{c &lt; c'} log[1 + 1/(N_c N_c') sum_{i in c, j in c'} exp(beta (S_ij - lam))]   (i = j included).
/// Cost O(B^2 D), computed in log space.
/// </summary>
public sealed class ClassWiseMultiSimilarityLoss : MetricLoss<ClassWiseMultiSimilaritySettings>
{
    public ClassWiseMultiSimilarityLoss(int numClasses, ClassWiseMultiSimilaritySettings? settings = null)
        : base("ClassWiseMultiSimilarityLoss", numClasses, settings)
    {
        RegisterComponents();
    }


    protected override Tensor ComputeLoss(LossBatch batch)
    {
        var (alpha, beta, lambda) = (Settings.PositiveScale, Settings.NegativeScale, Settings.OffsetCosine);
        var (embeddings, classes) = (batch.Embeddings, batch.Classes);
        var similarity = embeddings.matmul(embeddings.t());
        var logCounts = classes.LogCounts(embeddings.dtype);

        var positiveLog = ClassBlockLogSumExp(-alpha * (similarity - lambda), classes).diagonal() - Math.Log(2) - 2 * logCounts;
        var positive = nn.functional.softplus(positiveLog).sum() / (alpha * classes.Count);

        var negativeLog = ClassBlockLogSumExp(beta * (similarity - lambda), classes) - logCounts.unsqueeze(1) - logCounts.unsqueeze(0);
        var negative = (nn.functional.softplus(negativeLog) * OffDiagonal(classes.Count, embeddings)).sum() / (2 * beta * classes.Count);
        return positive + negative;
    }

    /// <summary>out[c, c'] = log sum_{i in c, j in c'} exp(x_ij) for a symmetric x [B, B].</summary>
    private static Tensor ClassBlockLogSumExp(Tensor x, BatchClasses classes) =>
        SegmentOps.LogSumExpByClass(SegmentOps.LogSumExpByClass(x, classes).t(), classes);
}
