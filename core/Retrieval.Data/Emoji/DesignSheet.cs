using Retrieval.Core.Imaging;

namespace Retrieval.Data.Emoji;

/// <summary>
/// A picture of the set: one row per class, one column per source in source order (white where a source has no
/// design of the class), for classes drawn by the most sources, spread evenly over their keys in order.
/// </summary>
public static class DesignSheet
{
    public const string FileName = "designs.png";
    private const int Gap = 4;

    /// <summary>The sheet as PNG bytes; <paramref name="classes"/> maps a key to its (source, PNG) designs.</summary>
    public static byte[] Render(IReadOnlyDictionary<string, List<(int Source, byte[] Png)>> classes, int sources, int size, int rows = 8)
    {
        int most = classes.Values.Select(v => v.Count).DefaultIfEmpty(0).Max();
        var candidates = classes.Where(c => c.Value.Count >= 2 && c.Value.Count >= most - 1).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var picked = Enumerable.Range(0, Math.Min(rows, candidates.Count)).Select(i => candidates[i * candidates.Count / Math.Min(rows, candidates.Count)]).ToList();
        var sheet = new RgbImage(sources * (size + Gap) + Gap, Math.Max(1, picked.Count) * (size + Gap) + Gap);
        Array.Fill(sheet.Pixels, (byte)255);
        for (int row = 0; row < picked.Count; row++)
            foreach (var (source, png) in picked[row].Value)
            {
                var tile = ImageDecoder.Decode(png);
                int left = Gap + source * (size + Gap), top = Gap + row * (size + Gap);
                for (int y = 0; y < Math.Min(size, tile.Height); y++)
                    Array.Copy(tile.Pixels, tile.IndexOf(0, y), sheet.Pixels, sheet.IndexOf(left, top + y), 3 * Math.Min(size, tile.Width));
            }
        return ImageEncoder.EncodePng(sheet);
    }
}
