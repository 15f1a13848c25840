using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>Stable log-sum-exp reductions used by the class-wise losses.</summary>
internal static class SegmentOps
{
    /// <summary>
    /// out[k, j] = log sum_{i in class k} exp(x[i, j]) for x [B, M] (or [B] -> [C_B]), computed with torch's
    /// logsumexp over a padded [C_B, max N_c, M] gather whose padding is -inf.
    /// </summary>
    public static Tensor LogSumExpByClass(Tensor x, BatchClasses classes)
    {
        if (x.dim() == 1) return LogSumExpByClass(x.unsqueeze(1), classes).squeeze(1);
        var columns = x.shape[1];
        var padded = cat([x, full(1, columns, double.NegativeInfinity, dtype: x.dtype, device: x.device)], 0);
        return padded.index_select(0, classes.Members.flatten())
            .view(classes.Count, classes.Members.shape[1], columns)
            .logsumexp(1);
    }

    /// <summary>log(1 + sum_k exp(x_k)) along <paramref name="dim"/>: logsumexp over x with a 0 appended.</summary>
    public static Tensor LogOnePlusSumExp(Tensor x, long dim)
    {
        var shape = x.shape.ToArray();
        shape[dim] = 1;
        return cat([x, zeros(shape, dtype: x.dtype, device: x.device)], dim).logsumexp(dim);
    }
}
