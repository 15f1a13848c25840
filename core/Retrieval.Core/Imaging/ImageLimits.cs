namespace Retrieval.Core.Imaging;

/// <summary>Limits checked against an image header before any pixel is decoded.</summary>
/// <param name="MaxPixels">Largest width x height accepted.</param>
/// <param name="MaxAspectRatio">
/// Largest long side / short side accepted. Preprocessing resizes the short side to the model size, which multiplies
/// the long side: a 1x600,000 strip would become a 600,000-times-wider image. 20:1 is wider than any panorama.
/// </param>
public sealed record ImageLimits(long MaxPixels, double MaxAspectRatio = ImageLimits.DefaultMaxAspectRatio)
{
    /// <summary>The default <see cref="MaxAspectRatio"/>.</summary>
    public const double DefaultMaxAspectRatio = 20;

    /// <summary>40 megapixels: far above any dataset image, far below what would exhaust memory (160 MB RGBA).</summary>
    public static ImageLimits Default { get; } = new(40_000_000);

    /// <summary>Throws <see cref="ImageTooLargeException"/> when a width x height header breaks a limit.</summary>
    public void Check(int width, int height, string? path = null)
    {
        if ((long)width * height > MaxPixels)
            throw new ImageTooLargeException(width, height, MaxPixels, path);
        double ratio = (double)Math.Max(width, height) / Math.Min(width, height);
        if (ratio > MaxAspectRatio)
            throw new ImageTooLargeException(width, height, MaxPixels, path,
                $"image is {width}x{height}, aspect ratio {ratio:0.#}:1 over the limit of {MaxAspectRatio:0.#}:1");
    }
}
