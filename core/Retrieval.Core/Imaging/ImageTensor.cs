namespace Retrieval.Core.Imaging;

/// <summary>Converts an <see cref="RgbImage"/> to a float32 CHW tensor in [0, 1] (value / 255; no mean/std — that lives in the model).</summary>
public static class ImageTensor
{
    /// <summary>A new float[3·H·W] in CHW order.</summary>
    public static float[] ToChw(RgbImage image)
    {
        var result = new float[3 * image.Width * image.Height];
        WriteChw(image, result);
        return result;
    }

    /// <summary>Writes the CHW tensor into <paramref name="destination"/> (length 3·H·W), e.g. one slot of a batch.</summary>
    public static void WriteChw(RgbImage image, Span<float> destination)
    {
        int plane = image.Width * image.Height;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"destination holds {destination.Length} floats, need {3 * plane}", nameof(destination));
        var src = image.Pixels;
        for (int p = 0; p < plane; p++)
        {
            destination[p] = src[3 * p] / 255f;
            destination[plane + p] = src[3 * p + 1] / 255f;
            destination[2 * plane + p] = src[3 * p + 2] / 255f;
        }
    }
}
