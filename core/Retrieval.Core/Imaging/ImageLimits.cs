namespace Retrieval.Core.Imaging;

/// <summary>Limits checked against an image header before any pixel is decoded.</summary>
/// <param name="MaxPixels">Largest width x height accepted.</param>
public sealed record ImageLimits(long MaxPixels)
{
    /// <summary>40 megapixels: far above any dataset image, far below what would exhaust memory (160 MB RGBA).</summary>
    public static ImageLimits Default { get; } = new(40_000_000);
}
