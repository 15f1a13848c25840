namespace Retrieval.Core.Imaging;

/// <summary>Per-output-pixel source taps of the triangle (bilinear) filter used by <see cref="ImageTransforms.Resize"/>.</summary>
internal static class FilterTaps
{
    /// <summary>
    /// For each of <paramref name="outSize"/> outputs: the first source index and normalised weights.
    /// Output i samples at centre (i + 0.5)·s with s = in/out; the triangle's half-width is max(s, 1).
    /// </summary>
    public static (int Start, double[] Weights)[] Build(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double support = Math.Max(scale, 1.0);
        var taps = new (int, double[])[outSize];
        for (int i = 0; i < outSize; i++)
        {
            double centre = (i + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(centre - support));
            int hi = Math.Min(inSize, (int)Math.Ceiling(centre + support));
            var weights = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++)
            {
                double w = Math.Max(0.0, 1.0 - Math.Abs((j + 0.5 - centre) / support));
                weights[j - lo] = w;
                sum += w;
            }
            for (int k = 0; k < weights.Length; k++)
                weights[k] /= sum;
            taps[i] = (lo, weights);
        }
        return taps;
    }
}
