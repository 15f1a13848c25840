using Retrieval.Core.Data;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The server's gallery from a data root that core's <see cref="DatasetLoader"/> reads (In-Shop, CUB, SOP; errors name
/// file, line and field): the reference set — In-Shop's gallery split, or the test split of CUB/SOP — where row n
/// (0-based, file order) gets item id n and keeps its listed relative path.
/// </summary>
public static class InShopGallery
{
    /// <summary>The reference items of the data set under <paramref name="dataRoot"/> as sources to embed.</summary>
    public static List<GallerySource> Read(string dataRoot) =>
        DatasetLoader.Load(dataRoot).Reference.Select((item, i) => new GallerySource(i, item.Label, item.RelativePath)).ToList();

    /// <summary>An item's image file: rooted paths as given, relative ones under the data root's image folder (<see cref="DatasetLoader.ImageRoot"/>).</summary>
    public static string Resolve(string? dataRoot, string imagePath) =>
        Path.IsPathRooted(imagePath) || dataRoot is null ? imagePath : Path.Combine(DatasetLoader.ImageRoot(dataRoot), imagePath);
}
