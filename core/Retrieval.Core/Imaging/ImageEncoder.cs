using SkiaSharp;

namespace Retrieval.Core.Imaging;

/// <summary>Encodes an <see cref="RgbImage"/> as PNG (colour type RGB, no alpha) or JPEG via SkiaSharp.</summary>
public static class ImageEncoder
{
    /// <summary>PNG bytes; the bitmap is marked opaque so the encoder writes 3-channel RGB.</summary>
    public static byte[] EncodePng(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>JPEG bytes at the given quality (1..100).</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 95) => Encode(image, SKEncodedImageFormat.Jpeg, quality);

    /// <summary>An opaque RGBA8888 Skia bitmap of the image (for drawing; the caller disposes it).</summary>
    public static SKBitmap ToBitmap(RgbImage image)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var bitmap = new SKBitmap(info);
        var rgba = new byte[info.BytesSize];
        var src = image.Pixels;
        for (int i = 0, o = 0; i < src.Length; i += 3, o += 4)
        {
            rgba[o] = src[i];
            rgba[o + 1] = src[i + 1];
            rgba[o + 2] = src[i + 2];
            rgba[o + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(format, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {image.Width}x{image.Height} as {format}");
        return data.ToArray();
    }
}
