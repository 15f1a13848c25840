// TEMPORARY stand-ins for core/Retrieval.Core/Imaging (data branch); deleted when that branch is merged.
using SkiaSharp;

namespace Retrieval.Core.Imaging;

public sealed class RgbImage(int width, int height, byte[] pixels)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Pixels { get; } = pixels;
}

public static class ImageDecoder
{
    public static RgbImage DecodeFile(string path)
    {
        using var bmp = SKBitmap.Decode(path) ?? throw new InvalidDataException(path);
        var px = new byte[bmp.Width * bmp.Height * 3];
        for (var y = 0; y < bmp.Height; y++)
        for (var x = 0; x < bmp.Width; x++)
        {
            var c = bmp.GetPixel(x, y);
            var a = c.Alpha / 255f;
            var o = (y * bmp.Width + x) * 3;
            px[o] = (byte)(c.Red * a + 255 * (1 - a));
            px[o + 1] = (byte)(c.Green * a + 255 * (1 - a));
            px[o + 2] = (byte)(c.Blue * a + 255 * (1 - a));
        }
        return new RgbImage(bmp.Width, bmp.Height, px);
    }
}

public static class ImageTransforms
{
    public static RgbImage Resize(RgbImage img, int x0, int y0, int w, int h, int ow, int oh)
    {
        var px = new byte[ow * oh * 3];
        for (var y = 0; y < oh; y++)
        for (var x = 0; x < ow; x++)
        {
            var sx = Math.Min(img.Width - 1, x0 + (int)((x + 0.5) * w / ow));
            var sy = Math.Min(img.Height - 1, y0 + (int)((y + 0.5) * h / oh));
            for (var c = 0; c < 3; c++) px[(y * ow + x) * 3 + c] = img.Pixels[(sy * img.Width + sx) * 3 + c];
        }
        return new RgbImage(ow, oh, px);
    }

    public static RgbImage RandomResizedCrop(RgbImage img, int size, Random rng, double scaleMin)
    {
        var area = img.Width * img.Height * (scaleMin + rng.NextDouble() * (1 - scaleMin));
        var w = Math.Clamp((int)Math.Sqrt(area), 1, img.Width);
        var h = Math.Clamp((int)Math.Sqrt(area), 1, img.Height);
        return Resize(img, rng.Next(img.Width - w + 1), rng.Next(img.Height - h + 1), w, h, size, size);
    }

    public static RgbImage HorizontalFlip(RgbImage img)
    {
        var px = new byte[img.Pixels.Length];
        for (var y = 0; y < img.Height; y++)
        for (var x = 0; x < img.Width; x++)
        for (var c = 0; c < 3; c++) px[(y * img.Width + x) * 3 + c] = img.Pixels[(y * img.Width + img.Width - 1 - x) * 3 + c];
        return new RgbImage(img.Width, img.Height, px);
    }
}

public static class ImageTensor
{
    public static float[] ToChw(RgbImage img)
    {
        var n = img.Width * img.Height;
        var o = new float[3 * n];
        for (var i = 0; i < n; i++)
        for (var c = 0; c < 3; c++) o[c * n + i] = img.Pixels[i * 3 + c] / 255f;
        return o;
    }
}

public sealed record PreprocessSpec(int ResizeShorter, int CropSize)
{
    public float[] ToEvalTensor(RgbImage img)
    {
        var off = (ResizeShorter - CropSize) / 2;
        var r = ImageTransforms.Resize(img, 0, 0, img.Width, img.Height, ResizeShorter, ResizeShorter);
        return ImageTensor.ToChw(ImageTransforms.Resize(r, off, off, CropSize, CropSize, CropSize, CropSize));
    }
}
