using SkiaSharp;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Inference;

/// <summary>
/// Evaluation preprocessing for served images: checks the header's pixel count before decoding, decodes PNG/JPEG,
/// composites alpha over white, resizes the shorter side to ResizeSize (bilinear), centre-crops ImageSize and returns
/// float32 CHW RGB in [0,1]. Corrupt, truncated or oversized images become <see cref="RequestException"/>s.
/// </summary>
public static class SkiaImagePreprocessor
{
    /// <summary>Preprocesses one encoded image.</summary>
    public static float[] Preprocess(byte[] image, long maxPixels, int resizeSize, int imageSize)
    {
        using var stream = new SKMemoryStream(image);
        using var codec = SKCodec.Create(stream, out var created)
            ?? throw new RequestException(RequestError.InvalidArgument, $"is not a decodable PNG or JPEG image ({created}).");
        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (pixels > maxPixels)
            throw new RequestException(RequestError.ResourceExhausted, $"is {codec.Info.Width}x{codec.Info.Height} = {pixels} pixels, over the limit of {maxPixels}.");
        if (pixels == 0) throw new RequestException(RequestError.InvalidArgument, "has no pixels.");
        using var decoded = new SKBitmap(new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new RequestException(RequestError.InvalidArgument, $"could not be decoded ({result}: corrupt or truncated).");
        return ResizeCropToChw(decoded, resizeSize, imageSize);
    }

    private static float[] ResizeCropToChw(SKBitmap source, int resizeSize, int imageSize)
    {
        double scale = resizeSize / (double)Math.Min(source.Width, source.Height);
        float width = (float)(source.Width * scale), height = (float)(source.Height * scale);
        float left = (imageSize - width) / 2, top = (imageSize - height) / 2;
        var info = new SKImageInfo(imageSize, imageSize, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var target = new SKBitmap(info);
        using (var canvas = new SKCanvas(target))
        using (var sourceImage = SKImage.FromBitmap(source))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawImage(sourceImage, SKRect.Create(left, top, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        var rgba = target.GetPixelSpan();
        int plane = imageSize * imageSize;
        var chw = new float[3 * plane];
        for (int i = 0; i < plane; i++)
        {
            chw[i] = rgba[4 * i] / 255f;
            chw[plane + i] = rgba[4 * i + 1] / 255f;
            chw[2 * plane + i] = rgba[4 * i + 2] / 255f;
        }
        return chw;
    }
}
