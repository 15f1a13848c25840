using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Class-wise multi-similarity loss (CWMS), the pair-based parent of MFCWMS; with S_ij = e_i.e_j,
/// L = 1/(alpha C_B) sum_c log[1 + 1/(2 N_c^2) sum_{i,j in c} exp(-alpha (S_ij - lam))]
///   + 1/(beta C_B) sum_{c &lt; c'} log[1 + 1/(N_c N_c') sum_{i in c, j in c'} exp(beta (S_ij - lam))]   (i = j included).
/// Cost O(B^2 D), computed in log space.
/// </summary>
public sealed class ClassWiseMultiSimilarityLoss : MetricLoss
{
    public ClassWiseMultiSimilarityLoss(int numClasses, double alpha = 0.01, double beta = 80, double lambda = 0.8)
        : base("ClassWiseMultiSimilarityLoss", numClasses)
    {
        Alpha = Positive(alpha, "alpha");
        Beta = Positive(beta, "beta");
        Lambda = Finite(lambda, "margin");
        RegisterComponents();
    }

    /// <summary>alpha, the positive-term scale.</summary>
    public double Alpha { get; }

    /// <summary>beta, the negative-term scale.</summary>
    public double Beta { get; }

    /// <summary>lambda (the reference's mrg/base), the similarity offset.</summary>
    public double Lambda { get; }

    protected override Tensor ComputeLoss(Tensor embeddings, Tensor labels)
    {
        var classes = new BatchClasses(labels);
        var similarity = embeddings.matmul(embeddings.t());
        var logCounts = classes.LogCounts(embeddings.dtype);

        var positiveLog = ClassBlockLogSumExp(-Alpha * (similarity - Lambda), classes).diagonal() - Math.Log(2) - 2 * logCounts;
        var positive = nn.functional.softplus(positiveLog).sum() / (Alpha * classes.Count);

        var negativeLog = ClassBlockLogSumExp(Beta * (similarity - Lambda), classes) - logCounts.unsqueeze(1) - logCounts.unsqueeze(0);
        var negative = (nn.functional.softplus(negativeLog) * OffDiagonal(classes.Count, embeddings)).sum() / (2 * Beta * classes.Count);
        return positive + negative;
    }

    /// <summary>out[c, c'] = log sum_{i in c, j in c'} exp(x_ij) for a symmetric x [B, B].</summary>
    private static Tensor ClassBlockLogSumExp(Tensor x, BatchClasses classes) =>
        SegmentOps.LogSumExpByClass(SegmentOps.LogSumExpByClass(x, classes).t(), classes);
}
