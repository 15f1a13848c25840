using Retrieval.Core.Search;

namespace Retrieval.Core.Tests.Search;

/// <summary>The SIMD kernels against a scalar float64 reference for every length 0..256.</summary>
public class VectorDistanceTests
{
    [Fact]
    public void Dot_And_SquaredL2_MatchScalarReference_ForLengths0To256()
    {
        var rng = new Random(12345);
        for (int n = 0; n <= 256; n++)
        {
            var a = new float[n];
            var b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = (float)(rng.NextDouble() * 2 - 1);
                b[i] = (float)(rng.NextDouble() * 2 - 1);
            }
            double dot = 0, l2 = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                dot += (double)a[i] * b[i];
                l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
                scale += Math.Abs((double)a[i] * b[i]);
            }
            Assert.True(Math.Abs(VectorDistance.Dot(a, b) - dot) <= 1e-5 * (1 + scale), $"dot, length {n}");
            Assert.True(Math.Abs(VectorDistance.SquaredL2(a, b) - l2) <= 1e-5 * (1 + l2), $"squared L2, length {n}");
        }
    }

    [Fact]
    public void HandComputedValues()
    {
        float[] a = [1, 2, 3], b = [4, -5, 6];
        Assert.Equal(12f, VectorDistance.Dot(a, b));
        Assert.Equal(9f + 49f + 9f, VectorDistance.SquaredL2(a, b));
    }

    [Fact]
    public void DifferentLengths_Throw()
    {
        var e = Assert.Throws<ArgumentException>(() => VectorDistance.Dot(new float[3], new float[4]));
        Assert.Contains("3 and 4", e.Message);
    }
}
