namespace Retrieval.Core.Imaging;

/// <summary>An image header breaks an <see cref="ImageLimits"/> limit (pixels or aspect ratio); nothing was decoded.</summary>
public sealed class ImageTooLargeException : ImageDecodeException
{
    public ImageTooLargeException(int width, int height, long maxPixels, string? path = null, string? message = null)
        : base(message ?? $"image declares {width}x{height} = {(long)width * height} pixels, over the limit of {maxPixels}", path)
    {
        Width = width;
        Height = height;
        MaxPixels = maxPixels;
    }

    public int Width { get; }
    public int Height { get; }
    public long MaxPixels { get; }
}
