using Retrieval.Core.Imaging;

namespace Retrieval.Core.Pictures;

/// <summary>Scales an image to fit a square of a given side, keeping its aspect ratio (the shared thumbnail rule of grids and the search page).</summary>
public static class Thumbnail
{
    /// <summary>
    /// The image resized so its longer side is <paramref name="side"/> (antialiased when shrinking, via
    /// <see cref="ImageTransforms.Resize"/>); images already smaller are returned unchanged unless <paramref name="enlarge"/>.
    /// </summary>
    public static RgbImage Fit(RgbImage image, int side, bool enlarge = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        int longer = Math.Max(image.Width, image.Height);
        if (longer == side || (longer < side && !enlarge)) return image;
        double scale = (double)side / longer;
        int width = Math.Clamp((int)Math.Round(image.Width * scale), 1, side);
        int height = Math.Clamp((int)Math.Round(image.Height * scale), 1, side);
        return ImageTransforms.Resize(image, width, height);
    }
}
