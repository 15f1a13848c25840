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

    /// <summary>
    /// An item's image file under the data root's image folder (<see cref="DatasetLoader.ImageRoot"/>), or null with the
    /// reason when there is no data root or the path is not a name inside that folder (<see cref="ImagePaths"/>).
    /// </summary>
    public static string? Resolve(string? dataRoot, string imagePath, out string? problem)
    {
        problem = "has no data root to resolve against (start the server with --data)";
        return dataRoot is null ? null : ImagePaths.Resolve(DatasetLoader.ImageRoot(dataRoot), imagePath, out problem);
    }
}
