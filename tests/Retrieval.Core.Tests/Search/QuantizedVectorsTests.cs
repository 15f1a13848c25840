using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>The f16 and 8-bit kernels against a scalar float64 reference on the decoded values, for every length 0..256.</summary>
public unsafe class QuantizedVectorsTests
{
    [Fact]
    public void HalfKernels_MatchScalarReference()
    {
        var rng = new Random(81);
        for (int n = 0; n <= 256; n++)
        {
            var q = Random(rng, n, 3);
            var x = Random(rng, n, 3);
            var h = new Half[n];
            fixed (Half* hp = h) QuantizedVectors.EncodeHalf(x, hp);
            double dot = 0, l2 = 0;
            for (int i = 0; i < n; i++)
            {
                double d = (double)h[i];
                dot += q[i] * d;
                l2 += (q[i] - d) * (q[i] - d);
            }
            fixed (float* qp = q)
            fixed (Half* hp = h)
            {
                Assert.True(Math.Abs(QuantizedVectors.DotHalf(qp, hp, n) - dot) <= 1e-4 * (1 + Math.Abs(dot) + n), $"dot, length {n}");
                Assert.True(Math.Abs(QuantizedVectors.SquaredL2Half(qp, hp, n) - l2) <= 1e-4 * (1 + l2), $"L2, length {n}");
            }
        }
    }

    [Fact]
    public void HalfDecoding_IsExact_ForNormalsSubnormalsZerosAndSigns()
    {
        float[] values = [0f, -0f, 1f, -2.5f, 65504f, -65504f, 6.1e-5f, 5.96e-8f, -3e-6f, 1e-3f, 123.25f];
        var h = new Half[16];
        for (int i = 0; i < values.Length; i++) h[i] = (Half)values[i];
        var one = new float[16];
        for (int i = 0; i < values.Length; i++)
        {
            Array.Clear(one);
            one[i] = 1f;
            fixed (float* qp = one)
            fixed (Half* hp = h)
                Assert.Equal((float)h[i], QuantizedVectors.DotHalf(qp, hp, 16)); // 16 values: the SIMD path
        }
    }

    [Fact]
    public void ByteCodes_RoundTripWithinHalfAStep_AndKernelMatchesDecodedReference()
    {
        var rng = new Random(82);
        for (int n = 1; n <= 256; n++)
        {
            var q = Random(rng, n, 1);
            var x = Random(rng, n, 0.3);
            var codes = new byte[n + QuantizedVectors.ByteHeader];
            var decoded = new float[n];
            fixed (byte* cp = codes)
            {
                QuantizedVectors.EncodeBytes(x, cp);
                QuantizedVectors.DecodeBytes(cp, decoded);
                float step = ((float*)cp)[0];
                for (int i = 0; i < n; i++) Assert.True(Math.Abs(decoded[i] - x[i]) <= step / 2 + 1e-6, $"length {n}, value {i}");
                double dot = 0, norm = 0;
                for (int i = 0; i < n; i++)
                {
                    dot += (double)q[i] * decoded[i];
                    norm += (double)decoded[i] * decoded[i];
                }
                float sum = q.Sum();
                fixed (float* qp = q)
                {
                    Assert.True(Math.Abs(QuantizedVectors.DotBytes(qp, sum, cp, n) - dot) <= 1e-4 * (1 + n), $"dot, length {n}");
                    Assert.Equal(norm, QuantizedVectors.NormBytes(cp), 3);
                }
            }
        }
    }

    private static float[] Random(Random rng, int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
}
