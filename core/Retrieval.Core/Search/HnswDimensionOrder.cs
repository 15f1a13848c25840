namespace Retrieval.Core.Search;

/// <summary>
/// The order in which an index stores the dimensions of its vectors (null = the caller's order). Wide L2 vectors are
/// stored by decreasing variance so the partial sums of the early-abandoning distance grow fastest; distances do not
/// depend on the order, only the float rounding of the sum does. Callers never see stored order.
/// </summary>
internal static class HnswDimensionOrder
{
    /// <summary>At most this many rows of the first batch are sampled for the variances.</summary>
    private const int SampleRows = 20_000;

    /// <summary>
    /// Whether an index reorders: squared L2 over f32 (the kernel that abandons early), at least 256 dimensions, and a
    /// first batch of at least 1,000 rows, enough to estimate the variances.
    /// </summary>
    public static bool Applies(VectorMetric metric, VectorStorage storage, int dimension, int firstBatch) =>
        metric == VectorMetric.SquaredL2 && storage == VectorStorage.Float32 && dimension >= 256 && firstBatch >= 1_000;

    /// <summary>The dimensions by decreasing variance over (a sample of) the rows; ties keep the smaller dimension first.</summary>
    public static int[] ByVariance(ReadOnlySpan<float> vectors, int dimension)
    {
        int rows = vectors.Length / dimension, step = Math.Max(1, rows / SampleRows), seen = 0;
        var sum = new double[dimension];
        var squares = new double[dimension];
        for (int r = 0; r < rows; r += step, seen++)
        {
            var row = vectors.Slice(r * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                sum[j] += row[j];
                squares[j] += (double)row[j] * row[j];
            }
        }
        var order = Enumerable.Range(0, dimension).ToArray();
        var variance = order.Select(j => squares[j] / seen - sum[j] / seen * (sum[j] / seen)).ToArray();
        Array.Sort(order, (a, b) => variance[a] != variance[b] ? variance[b].CompareTo(variance[a]) : a.CompareTo(b));
        return order;
    }

    /// <summary>Whether an order read from a file is a permutation of 0..dimension-1.</summary>
    public static bool IsPermutation(int[] order, int dimension) =>
        order.Length == dimension && order.Order().SequenceEqual(Enumerable.Range(0, dimension));

    /// <summary>Copies a caller's vector into stored order.</summary>
    public static void ToStored(int[]? order, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (order is null) source.CopyTo(destination);
        else for (int p = 0; p < destination.Length; p++) destination[p] = source[order[p]];
    }

    /// <summary>Copies a stored vector back into the caller's order.</summary>
    public static void ToCaller(int[]? order, ReadOnlySpan<float> stored, Span<float> destination)
    {
        if (order is null) stored.CopyTo(destination);
        else for (int p = 0; p < stored.Length; p++) destination[order[p]] = stored[p];
    }
}
