using System.Runtime.Intrinsics;

namespace Retrieval.Core.Search;

/// <summary>One term of a distance sum, in SIMD widths and scalar: lets one loop serve dot product and squared L2.</summary>
internal interface IVectorTerm
{
    static abstract Vector512<float> Add(Vector512<float> a, Vector512<float> b, Vector512<float> sum);

    static abstract Vector256<float> Add(Vector256<float> a, Vector256<float> b, Vector256<float> sum);

    static abstract float Term(float a, float b);
}

/// <summary>a * b, summed: the dot product.</summary>
internal readonly struct DotTerm : IVectorTerm
{
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b, Vector512<float> sum) => Vector512.FusedMultiplyAdd(a, b, sum);

    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b, Vector256<float> sum) => Vector256.FusedMultiplyAdd(a, b, sum);

    public static float Term(float a, float b) => a * b;
}

/// <summary>(a - b)², summed: the squared L2 distance.</summary>
internal readonly struct SquaredDifferenceTerm : IVectorTerm
{
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b, Vector512<float> sum)
    {
        var d = a - b;
        return Vector512.FusedMultiplyAdd(d, d, sum);
    }

    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b, Vector256<float> sum)
    {
        var d = a - b;
        return Vector256.FusedMultiplyAdd(d, d, sum);
    }

    public static float Term(float a, float b) => (a - b) * (a - b);
}
