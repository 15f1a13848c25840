namespace Retrieval.Core.Search;

/// <summary>A query as the distance kernels take it: its float values and, for byte-coded vectors, their sum and squared norm.</summary>
internal readonly unsafe struct HnswQuery(float* values, float sum, float norm)
{
    public readonly float* Values = values;
    public readonly float Sum = sum;
    public readonly float Norm = norm;

    /// <summary>The query over n floats, with the sums the byte-coded kernels need.</summary>
    public static HnswQuery Of(float* values, int n)
    {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += values[i];
        return new HnswQuery(values, sum, VectorDistance.Dot(ref *values, ref *values, n));
    }
}
