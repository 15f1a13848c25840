using System.Runtime.InteropServices;
using SkiaSharp;

namespace Retrieval.Core.Imaging;

/// <summary>
/// Decodes PNG and JPEG into <see cref="RgbImage"/> (alpha composited over white).
/// SkiaSharp is used because, with SkiaSharp.NativeAssets.Linux.NoDependencies, it decodes headless with no
/// system library (OpenCvSharp needs GTK; System.Drawing is Windows-only), and it exposes the header
/// (SKCodec.Info) so the pixel and aspect-ratio limits are enforced before any pixel buffer is allocated.
/// The EXIF orientation is applied (<see cref="ImageOrientation"/>): the result is the image as a viewer shows it.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes an encoded PNG or JPEG held in memory.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, ImageLimits? limits = null) =>
        DecodeCore(encoded, limits ?? ImageLimits.Default, path: null);

    /// <summary>Decodes a PNG or JPEG file; errors name the file.</summary>
    public static RgbImage DecodeFile(string path, ImageLimits? limits = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException($"cannot read file: {e.Message}", path, e);
        }
        return DecodeCore(bytes, limits ?? ImageLimits.Default, path);
    }

    private static RgbImage DecodeCore(ReadOnlySpan<byte> encoded, ImageLimits limits, string? path)
    {
        if (encoded.IsEmpty)
            throw new ImageDecodeException("empty image data", path);
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageDecodeException("not a decodable image (corrupt or unsupported format; PNG and JPEG are supported)", path);
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
            throw new ImageDecodeException($"unsupported format {codec.EncodedFormat} (PNG and JPEG are supported)", path);
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException($"invalid size {width}x{height} in header", path);
        limits.Check(width, height, path);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.BytesSize64 > int.MaxValue / 4 * 3)
            throw new ImageTooLargeException(width, height, limits.MaxPixels, path);
        // The RGBA buffer lives in native memory and is freed as soon as it is composited: a 40 MP image would
        // otherwise leave 160 MB on the large-object heap until the next full GC, per decode.
        RgbImage stored;
        unsafe
        {
            var rgba = NativeMemory.Alloc((nuint)info.BytesSize64);
            try
            {
                var result = codec.GetPixels(info, (IntPtr)rgba);
                if (result != SKCodecResult.Success)
                {
                    string why = result == SKCodecResult.IncompleteInput ? "truncated image data" : $"decoding failed ({result})";
                    throw new ImageDecodeException(why, path);
                }
                stored = CompositeOverWhite(width, height, new ReadOnlySpan<byte>(rgba, (int)info.BytesSize64));
            }
            finally
            {
                NativeMemory.Free(rgba);
            }
        }
        return ImageOrientation.ToUpright(stored, (int)codec.EncodedOrigin);
    }

    /// <summary>out = (c·a + 255·(255 − a)) / 255, rounded to nearest, on unpremultiplied RGBA8.</summary>
    private static RgbImage CompositeOverWhite(int width, int height, ReadOnlySpan<byte> rgba)
    {
        var rgb = GC.AllocateUninitializedArray<byte>(3 * width * height);
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
        {
            int a = rgba[i + 3];
            if (a == 255)
            {
                rgb[o] = rgba[i];
                rgb[o + 1] = rgba[i + 1];
                rgb[o + 2] = rgba[i + 2];
                continue;
            }
            int white = 255 * (255 - a) + 127;
            rgb[o] = (byte)((rgba[i] * a + white) / 255);
            rgb[o + 1] = (byte)((rgba[i + 1] * a + white) / 255);
            rgb[o + 2] = (byte)((rgba[i + 2] * a + white) / 255);
        }
        return new RgbImage(width, height, rgb);
    }
}
