using SkiaSharp;
using Retrieval.Core.Imaging;

namespace Retrieval.Core.Tests.Imaging;

/// <summary>Builds small fixture images for the imaging and data tests.</summary>
internal static class TestImages
{
    /// <summary>An image whose pixel (x, y) is (f(x, y, 0), f(x, y, 1), f(x, y, 2)).</summary>
    public static RgbImage Make(int width, int height, Func<int, int, int, int> f)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < 3; c++)
                    image.Pixels[image.IndexOf(x, y) + c] = (byte)f(x, y, c);
        return image;
    }

    /// <summary>Encodes unpremultiplied RGBA pixels (row-major, 4 bytes each) as PNG.</summary>
    public static byte[] EncodeRgbaPng(int width, int height, byte[] rgba)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Pixel (x, y) as a tuple.</summary>
    public static (int R, int G, int B) At(RgbImage image, int x, int y)
    {
        int i = image.IndexOf(x, y);
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }
}
