using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Retrieval.Core.Search;

/// <summary>
/// Encoding of float vectors as f16 or as 8-bit codes with a per-vector scale and offset, and the SIMD kernels
/// that compare a float query with an encoded vector without decoding it first. Byte codes: x[i] ~ offset + scale * c[i],
/// c in 0..255, scale and offset chosen from the vector's own minimum and maximum.
/// </summary>
internal static unsafe class QuantizedVectors
{
    /// <summary>Bytes of the header of a byte-coded vector: scale, offset and the squared norm of the decoded vector.</summary>
    public const int ByteHeader = 3 * sizeof(float);

    /// <summary>Writes v as f16 (values beyond the f16 range are clamped to +-65504).</summary>
    public static void EncodeHalf(ReadOnlySpan<float> v, Half* dst)
    {
        for (int i = 0; i < v.Length; i++) dst[i] = (Half)Math.Clamp(v[i], -65504f, 65504f);
    }

    /// <summary>Writes the f32 values of an f16 vector.</summary>
    public static void DecodeHalf(Half* src, Span<float> dst)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = (float)src[i];
    }

    /// <summary>Writes v as [scale, offset, squared norm of the decoded vector, codes...].</summary>
    public static void EncodeBytes(ReadOnlySpan<float> v, byte* dst)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (float x in v)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }
        float scale = max > min ? (max - min) / 255f : 1f;
        float inverse = 1f / scale;
        byte* codes = dst + ByteHeader;
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            byte c = (byte)Math.Clamp(MathF.Round((v[i] - min) * inverse), 0f, 255f);
            codes[i] = c;
            double decoded = min + scale * (double)c;
            norm += decoded * decoded;
        }
        ((float*)dst)[0] = scale;
        ((float*)dst)[1] = min;
        ((float*)dst)[2] = (float)norm;
    }

    /// <summary>Writes the decoded f32 values of a byte-coded vector.</summary>
    public static void DecodeBytes(byte* src, Span<float> dst)
    {
        float scale = ((float*)src)[0], offset = ((float*)src)[1];
        byte* codes = src + ByteHeader;
        for (int i = 0; i < dst.Length; i++) dst[i] = offset + scale * codes[i];
    }

    /// <summary>Dot product of a float query with a byte-coded vector: offset * sum(q) + scale * sum(q[i] * c[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotBytes(float* q, float querySum, byte* x, int n) =>
        ((float*)x)[1] * querySum + ((float*)x)[0] * DotCodes(q, x + ByteHeader, n);

    /// <summary>Squared norm of the decoded vector, stored in its header.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormBytes(byte* x) => ((float*)x)[2];

    /// <summary>Sum of q[i] * c[i] over n byte codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotCodes(float* q, byte* c, int n)
    {
        int i = 0;
        float sum = 0;
        if (Avx512F.IsSupported && n >= 16)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                s0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(c + i))), Vector512.Load(q + i), s0);
                s1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(c + i + 16))), Vector512.Load(q + i + 16), s1);
            }
            for (; i <= n - 16; i += 16)
                s0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(c + i))), Vector512.Load(q + i), s0);
            sum = Vector512.Sum(s0 + s1);
        }
        else if (Avx2.IsSupported && Fma.IsSupported && n >= 8)
        {
            var s0 = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
                s0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(c + i)), Vector256.Load(q + i), s0);
            sum = Vector256.Sum(s0);
        }
        for (; i < n; i++) sum += q[i] * c[i];
        return sum;
    }

    /// <summary>Dot product of a float query with an f16 vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DotHalf(float* q, Half* x, int n) => SumHalf<DotTerm>(q, x, n);

    /// <summary>Squared L2 distance of a float query and an f16 vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredL2Half(float* q, Half* x, int n) => SumHalf<SquaredDifferenceTerm>(q, x, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumHalf<TTerm>(float* q, Half* x, int n) where TTerm : struct, IVectorTerm
    {
        int i = 0;
        float sum = 0;
        if (Avx512F.IsSupported && n >= 16)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                s0 = TTerm.Add(Vector512.Load(q + i), HalfToSingle(Vector256.Load((ushort*)x + i)), s0);
                s1 = TTerm.Add(Vector512.Load(q + i + 16), HalfToSingle(Vector256.Load((ushort*)x + i + 16)), s1);
            }
            for (; i <= n - 16; i += 16)
                s0 = TTerm.Add(Vector512.Load(q + i), HalfToSingle(Vector256.Load((ushort*)x + i)), s0);
            sum = Vector512.Sum(s0 + s1);
        }
        for (; i < n; i++) sum += TTerm.Term(q[i], (float)x[i]);
        return sum;
    }

    /// <summary>
    /// 16 f16 values to f32 exactly (finite values, subnormals included): move sign and exponent/mantissa into
    /// place, then multiply by 2^112 to re-bias the exponent from 15 to 127.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HalfToSingle(Vector256<ushort> h)
    {
        var w = Avx512F.ConvertToVector512UInt32(h) << 16;
        var magnitude = (w & Vector512.Create(0x7FFF0000u)) >> 3;
        var value = magnitude.AsSingle() * Vector512.Create(5.192296858534828e33f); // 2^112
        return (value.AsUInt32() | (w & Vector512.Create(0x80000000u))).AsSingle();
    }
}
