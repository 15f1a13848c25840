using Retrieval.Core.Data;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The server's gallery from an In-Shop style data root, read with core's <see cref="InShopReader"/> (whose errors name
/// file, line and field): gallery row n (0-based, file order) gets item id n and keeps its listed relative path.
/// </summary>
public static class InShopGallery
{
    /// <summary>The gallery split of the listing under <paramref name="dataRoot"/> as sources to embed.</summary>
    public static List<GallerySource> Read(string dataRoot) =>
        InShopReader.Read(dataRoot).Gallery.Select((item, i) => new GallerySource(i, item.Label, item.RelativePath)).ToList();

    /// <summary>An item's image file: rooted paths as given, relative ones under the data root's image folder (<see cref="InShopReader.ImageRoot"/>).</summary>
    public static string Resolve(string? dataRoot, string imagePath) =>
        Path.IsPathRooted(imagePath) || dataRoot is null ? imagePath : Path.Combine(InShopReader.ImageRoot(dataRoot), imagePath);
}
