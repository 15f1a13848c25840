namespace Retrieval.Core.Imaging;

/// <summary>
/// Deterministic geometric transforms on <see cref="RgbImage"/> with torchvision semantics. Resampling is
/// separable triangle-filter (bilinear) with pixel-centre alignment, widened by the scale factor when
/// shrinking (antialiased, like PIL/torchvision's antialias=True), so downscaling does not alias.
/// </summary>
public static class ImageTransforms
{
    /// <summary>Resizes so the shorter side equals <paramref name="size"/>; the longer side is size·long/short, truncated (torchvision).</summary>
    public static RgbImage ResizeShorterSide(RgbImage image, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        int w = image.Width, h = image.Height;
        long longer = (long)size * Math.Max(w, h) / Math.Min(w, h);
        // An extreme aspect ratio would make the long side overflow: callers bound it first (ImageLimits.MaxAspectRatio).
        if (longer > int.MaxValue / (3L * size))
            throw new ArgumentException($"resizing {w}x{h} to a short side of {size} gives a long side of {longer}, too large", nameof(image));
        if (w <= h)
            return Resize(image, size, Math.Max(1, (int)longer));
        return Resize(image, Math.Max(1, (int)longer), size);
    }

    /// <summary>Crops the central size x size square (offset round((dim − size)/2), half to even, as torchvision).</summary>
    public static RgbImage CenterCrop(RgbImage image, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (size > image.Width || size > image.Height)
            throw new ArgumentException($"crop {size} is larger than the image {image.Width}x{image.Height}", nameof(size));
        int top = (int)Math.Round((image.Height - size) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - size) / 2.0, MidpointRounding.ToEven);
        return Crop(image, left, top, size, size);
    }

    /// <summary>
    /// torchvision RandomResizedCrop: up to 10 draws of area fraction in <paramref name="scale"/> and log-uniform
    /// aspect ratio in <paramref name="ratio"/>; on failure a centre crop clamped to the ratio range; then resize to size x size.
    /// Defaults: scale (0.08, 1), ratio (3/4, 4/3).
    /// </summary>
    public static RgbImage RandomResizedCrop(RgbImage image, int size, Random rng,
        (double Min, double Max)? scale = null, (double Min, double Max)? ratio = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentNullException.ThrowIfNull(rng);
        var (x, y, w, h) = RandomResizedCropBox(image.Width, image.Height, rng, scale ?? (0.08, 1.0), ratio ?? (3.0 / 4.0, 4.0 / 3.0));
        return Resize(Crop(image, x, y, w, h), size, size);
    }

    /// <summary>The crop box (left, top, width, height) RandomResizedCrop would take from a width x height image.</summary>
    public static (int X, int Y, int W, int H) RandomResizedCropBox(int width, int height, Random rng,
        (double Min, double Max) scale, (double Min, double Max) ratio)
    {
        if (scale.Min <= 0 || scale.Min > scale.Max || ratio.Min <= 0 || ratio.Min > ratio.Max)
            throw new ArgumentException($"invalid scale {scale} or ratio {ratio}");
        double area = (double)width * height;
        double logMin = Math.Log(ratio.Min), logMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double targetArea = area * (scale.Min + rng.NextDouble() * (scale.Max - scale.Min));
            double aspect = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                int top = rng.Next(0, height - h + 1);
                int left = rng.Next(0, width - w + 1);
                return (left, top, w, h);
            }
        }
        double inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < ratio.Min)
        {
            cw = width;
            ch = (int)Math.Round(cw / ratio.Min, MidpointRounding.ToEven);
        }
        else if (inRatio > ratio.Max)
        {
            ch = height;
            cw = (int)Math.Round(ch * ratio.Max, MidpointRounding.ToEven);
        }
        else
        {
            cw = width;
            ch = height;
        }
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /// <summary>Mirrors the image left to right.</summary>
    public static RgbImage HorizontalFlip(RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        var src = image.Pixels;
        var dst = result.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int s = image.IndexOf(x, y), d = image.IndexOf(image.Width - 1 - x, y);
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return result;
    }

    /// <summary>Copies the rectangle (left, top, width, height), which must lie inside the image.</summary>
    public static RgbImage Crop(RgbImage image, int left, int top, int width, int height)
    {
        if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > image.Width || top + height > image.Height)
            throw new ArgumentException($"crop ({left},{top},{width}x{height}) is outside the image {image.Width}x{image.Height}");
        var result = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            Array.Copy(image.Pixels, image.IndexOf(left, top + y), result.Pixels, result.IndexOf(0, y), 3 * width);
        return result;
    }

    /// <summary>Resamples to width x height (separable triangle filter; identity when the size is unchanged).</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (width == image.Width && height == image.Height)
            return new RgbImage(width, height, (byte[])image.Pixels.Clone());
        var columns = FilterTaps.Build(image.Width, width);
        var rows = FilterTaps.Build(image.Height, height);

        // Horizontal pass into doubles (height x newWidth x 3), then vertical pass with rounding.
        var temp = new double[image.Height * width * 3];
        var src = image.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int rowBase = y * image.Width * 3;
            for (int x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                var (start, weights) = columns[x];
                for (int k = 0; k < weights.Length; k++)
                {
                    int s = rowBase + (start + k) * 3;
                    double wk = weights[k];
                    r += wk * src[s];
                    g += wk * src[s + 1];
                    b += wk * src[s + 2];
                }
                int t = (y * width + x) * 3;
                temp[t] = r;
                temp[t + 1] = g;
                temp[t + 2] = b;
            }
        }
        var result = new RgbImage(width, height);
        var dst = result.Pixels;
        for (int y = 0; y < height; y++)
        {
            var (start, weights) = rows[y];
            for (int x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    int t = ((start + k) * width + x) * 3;
                    double wk = weights[k];
                    r += wk * temp[t];
                    g += wk * temp[t + 1];
                    b += wk * temp[t + 2];
                }
                int d = (y * width + x) * 3;
                dst[d] = ToByte(r);
                dst[d + 1] = ToByte(g);
                dst[d + 2] = ToByte(b);
            }
        }
        return result;
    }

    private static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v, MidpointRounding.AwayFromZero), 0, 255);
}
