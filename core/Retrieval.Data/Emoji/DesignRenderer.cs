using Retrieval.Core.Imaging;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Turns design files into the set's square RGB PNGs, in parallel and through a <see cref="RenderCache"/> per source:
/// PNGs are decoded by the project's pipeline (alpha over white), scaled by the shorter side and centre-cropped; SVGs
/// go through <see cref="SvgRasterizer"/>. A file that fails is recorded with its reason, never fatal.
/// </summary>
public sealed class DesignRenderer(int size, SvgLimits svgLimits)
{
    public const string SvgRenderer = "svg-skia-5.2.3";

    /// <summary>The cache tag of a source's renders: a change of size or renderer invalidates them.</summary>
    public string Tag(EmojiDesignSource source) => source.IsSvg ? $"{size}px {SvgRenderer} content-framed v1" : $"{size}px png-square v1";

    /// <summary>Renders every design (index-aligned results); <paramref name="progress"/> gets (done, total).</summary>
    public RenderResult[] RenderAll(IReadOnlyList<EmojiDesign> designs, IReadOnlyList<EmojiDesignSource> sources, IReadOnlyList<RenderCache> caches,
        Action<int, int>? progress = null)
    {
        var results = new RenderResult[designs.Count];
        int done = 0;
        Parallel.For(0, designs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var design = designs[i];
            byte[] bytes = File.ReadAllBytes(design.Path);
            string hash = RenderCache.Hash(bytes);
            var cache = caches[design.Source];
            if (!cache.TryGet(hash, out var result))
            {
                result = Render(bytes, sources[design.Source].IsSvg);
                cache.Put(hash, result);
            }
            results[i] = result;
            progress?.Invoke(Interlocked.Increment(ref done), designs.Count);
        });
        return results;
    }

    /// <summary>One file's PNG, or the reason it has none.</summary>
    public RenderResult Render(byte[] bytes, bool svg)
    {
        try
        {
            var image = svg ? SvgRasterizer.Render(bytes, size, svgLimits) : ToSquare(ImageDecoder.Decode(bytes));
            return new RenderResult(ImageEncoder.EncodePng(image), null);
        }
        catch (Exception e) when (e is SvgRejectedException or ImageDecodeException)
        {
            return new RenderResult(null, e.Message);
        }
    }

    private RgbImage ToSquare(RgbImage image) =>
        image.Width == size && image.Height == size ? image : ImageTransforms.CenterCrop(ImageTransforms.ResizeShorterSide(image, size), size);
}
