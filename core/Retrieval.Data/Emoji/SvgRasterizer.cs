using System.Runtime.InteropServices;
using Retrieval.Core.Imaging;
using SkiaSharp;
using Svg.Skia;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Renders an SVG design to a square RGB image with Svg.Skia on SkiaSharp, alpha composited over white like every
/// other image of the pipeline. The design is framed by what it draws, not by its viewBox: OpenMoji draws on a
/// 72-unit grid with a wide safe area while Fluent and the PNG sets fill their frame, so the drawn content's bounding
/// box (found on a <see cref="ProbeSize"/> px probe render) is centred and scaled to fill the square, less a
/// <see cref="MarginFraction"/> margin on each side.
/// </summary>
public static class SvgRasterizer
{
    public const int ProbeSize = 256;
    public const float MarginFraction = 1f / 32;
    private const byte ContentAlpha = 8;   // antialiasing haze below this does not count as drawn

    /// <summary>Renders <paramref name="bytes"/>; throws <see cref="SvgRejectedException"/> for anything it will not or cannot render.</summary>
    public static RgbImage Render(byte[] bytes, int size, SvgLimits limits)
    {
        string text = SvgGuard.Check(bytes, limits);
        using var svg = new SKSvg();
        SKPicture? picture;
        try
        {
            picture = svg.FromSvg(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)   // a third-party parser: any failure is this file's fault
        {
            throw new SvgRejectedException($"Svg.Skia could not load it: {e.GetType().Name}: {e.Message}", e);
        }
        if (picture is null)
            throw new SvgRejectedException("Svg.Skia produced no picture");
        if (picture.ApproximateOperationCount > limits.MaxDrawOperations)
            throw new SvgRejectedException($"{picture.ApproximateOperationCount} drawing operations is over the {limits.MaxDrawOperations} limit");
        var bounds = picture.CullRect;
        if (!(bounds.Width > 0 && bounds.Height > 0 && float.IsFinite(bounds.Width) && float.IsFinite(bounds.Height)))
            throw new SvgRejectedException($"empty or invalid canvas {bounds.Width}x{bounds.Height}");

        var content = ContentBounds(picture, bounds);
        float side = Math.Max(content.Width, content.Height) * (1 + 2 * MarginFraction);
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Translate(size / 2f, size / 2f);
            canvas.Scale(size / side);
            canvas.Translate(-content.MidX, -content.MidY);
            canvas.DrawPicture(picture);
        }
        return ToRgb(bitmap);
    }

    /// <summary>The drawn part of the picture in SVG units: the bounding box of pixels with alpha &gt;= 8 on a probe render.</summary>
    private static SKRect ContentBounds(SKPicture picture, SKRect bounds)
    {
        float scale = ProbeSize / Math.Max(bounds.Width, bounds.Height);
        using var probe = new SKBitmap(new SKImageInfo(ProbeSize, ProbeSize, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(probe))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.Scale(scale);
            canvas.Translate(-bounds.Left, -bounds.Top);
            canvas.DrawPicture(picture);
        }
        var rgba = new byte[ProbeSize * ProbeSize * 4];
        Marshal.Copy(probe.GetPixels(), rgba, 0, rgba.Length);
        int left = ProbeSize, top = ProbeSize, right = -1, bottom = -1;
        for (int y = 0; y < ProbeSize; y++)
            for (int x = 0; x < ProbeSize; x++)
                if (rgba[(y * ProbeSize + x) * 4 + 3] >= ContentAlpha)
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        if (right < 0)
            throw new SvgRejectedException("renders nothing visible");
        return new SKRect(bounds.Left + left / scale, bounds.Top + top / scale, bounds.Left + (right + 1) / scale, bounds.Top + (bottom + 1) / scale);
    }

    /// <summary>An opaque premultiplied RGBA bitmap (drawn over white) as RGB.</summary>
    private static RgbImage ToRgb(SKBitmap bitmap)
    {
        var rgba = new byte[bitmap.Width * bitmap.Height * 4];
        Marshal.Copy(bitmap.GetPixels(), rgba, 0, rgba.Length);
        var image = new RgbImage(bitmap.Width, bitmap.Height);
        for (int p = 0, n = bitmap.Width * bitmap.Height; p < n; p++)
            (image.Pixels[3 * p], image.Pixels[3 * p + 1], image.Pixels[3 * p + 2]) = (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]);
        return image;
    }
}
