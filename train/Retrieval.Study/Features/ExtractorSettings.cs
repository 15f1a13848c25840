using System.Globalization;

namespace Retrieval.Study.Features;

/// <summary>
/// Which frozen backbone embeds the images: backbone layout, weights (<c>--pretrained</c> of retrieval-train, or null
/// for a random initialisation drawn from <see cref="Seed"/>) and the square input size (resize, centre crop).
/// </summary>
public sealed record ExtractorSettings(string Backbone, string? Pretrained, int ImageSize, int Seed)
{
    /// <summary>A one-line description; part of the feature cache key and of the report.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Backbone} {(Pretrained is null ? $"random init (seed {Seed})" : Pretrained)}, {ImageSize} px, GAP+GMP features");
}
