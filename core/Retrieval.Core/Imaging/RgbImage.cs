namespace Retrieval.Core.Imaging;

/// <summary>An 8-bit RGB image, pixels stored row-major as H x W x 3 (HWC).</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != 3L * width * height)
            throw new ArgumentException($"expected {3L * width * height} bytes for {width}x{height} RGB, got {pixels.LongLength}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A new image of the given size with every pixel zero (black).</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[checked(3 * width * height)]) { }

    public int Width { get; }
    public int Height { get; }

    /// <summary>RGB8, row-major HWC: pixel (x, y) channel c is at (y * Width + x) * 3 + c.</summary>
    public byte[] Pixels { get; }

    /// <summary>Index of the red byte of pixel (x, y) in <see cref="Pixels"/>.</summary>
    public int IndexOf(int x, int y) => (y * Width + x) * 3;
}
