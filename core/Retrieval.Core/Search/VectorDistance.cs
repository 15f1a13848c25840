using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Retrieval.Core.Search;

/// <summary>SIMD distance kernels (dot product, squared L2) over float vectors, exact to float rounding.</summary>
public static class VectorDistance
{
    /// <summary>Dot product of two equal-length vectors.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vector lengths differ: {a.Length} and {b.Length}.");
        return Dot(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), a.Length);
    }

    /// <summary>Squared Euclidean distance of two equal-length vectors.</summary>
    public static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vector lengths differ: {a.Length} and {b.Length}.");
        return SquaredL2(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), a.Length);
    }

    /// <summary>Dot product of n floats starting at a and b (no bounds checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ref float a, ref float b, int n) => Sum<DotTerm>(ref a, ref b, n);

    /// <summary>Squared L2 distance of n floats starting at a and b (no bounds checks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SquaredL2(ref float a, ref float b, int n) => Sum<SquaredDifferenceTerm>(ref a, ref b, n);

    /// <summary>
    /// Squared L2 distance of n floats, the same value as <see cref="SquaredL2(ref float, ref float, int)"/>, except that
    /// it may stop early and return a partial sum once that reaches <paramref name="bound"/> (the terms are never
    /// negative, so the full distance would be at least as large).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SquaredL2Below(ref float a, ref float b, int n, float bound)
    {
        if (!Vector512.IsHardwareAccelerated || n < 256) return SquaredL2(ref a, ref b, n);
        // Same accumulators and order as Sum: the checks read them without changing them.
        var s0 = Vector512<float>.Zero;
        var s1 = Vector512<float>.Zero;
        var s2 = Vector512<float>.Zero;
        var s3 = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 64; i += 64)
        {
            s0 = SquaredDifferenceTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), s0);
            s1 = SquaredDifferenceTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 16)), Vector512.LoadUnsafe(ref b, (nuint)(i + 16)), s1);
            s2 = SquaredDifferenceTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 32)), Vector512.LoadUnsafe(ref b, (nuint)(i + 32)), s2);
            s3 = SquaredDifferenceTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 48)), Vector512.LoadUnsafe(ref b, (nuint)(i + 48)), s3);
            if ((i & 127) == 64 && i + 64 < n)
            {
                float partial = Vector512.Sum((s0 + s1) + (s2 + s3));
                if (partial >= bound) return partial;
            }
        }
        for (; i <= n - 16; i += 16)
            s0 = SquaredDifferenceTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), s0);
        if (i <= n - 8)
        {
            var rest = SquaredDifferenceTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), Vector256<float>.Zero);
            s1 += Vector512.Create(rest, Vector256<float>.Zero);
            i += 8;
        }
        float sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        for (; i < n; i++) sum += SquaredDifferenceTerm.Term(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        return sum;
    }

    /// <summary>
    /// Sum over i of TTerm(a[i], b[i]) with the widest vectors the CPU has (the checks below are JIT-time constants):
    /// 4 independent accumulators, then single-vector steps, then a narrower step and a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum<TTerm>(ref float a, ref float b, int n) where TTerm : struct, IVectorTerm
    {
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            for (; i <= n - 64; i += 64)
            {
                s0 = TTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), s0);
                s1 = TTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 16)), Vector512.LoadUnsafe(ref b, (nuint)(i + 16)), s1);
                s2 = TTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 32)), Vector512.LoadUnsafe(ref b, (nuint)(i + 32)), s2);
                s3 = TTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)(i + 48)), Vector512.LoadUnsafe(ref b, (nuint)(i + 48)), s3);
            }
            for (; i <= n - 16; i += 16)
                s0 = TTerm.Add(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i), s0);
            if (i <= n - 8)
            {
                var rest = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), Vector256<float>.Zero);
                s1 += Vector512.Create(rest, Vector256<float>.Zero);
                i += 8;
            }
            sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            var s2 = Vector256<float>.Zero;
            var s3 = Vector256<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                s0 = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), s0);
                s1 = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)(i + 8)), Vector256.LoadUnsafe(ref b, (nuint)(i + 8)), s1);
                s2 = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)(i + 16)), Vector256.LoadUnsafe(ref b, (nuint)(i + 16)), s2);
                s3 = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)(i + 24)), Vector256.LoadUnsafe(ref b, (nuint)(i + 24)), s3);
            }
            for (; i <= n - 8; i += 8)
                s0 = TTerm.Add(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i), s0);
            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++) sum += TTerm.Term(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        return sum;
    }
}
