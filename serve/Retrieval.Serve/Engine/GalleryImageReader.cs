using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Reads a gallery item's image for (re-)embedding: a name under the data root's image folder
/// (<see cref="InShopGallery.Resolve"/>, <see cref="ImagePaths"/>), opened only as a regular file of at most a size cap
/// (<see cref="RegularFile"/>). An item whose image cannot be read is skipped (null) or stops the build with its path.
/// </summary>
public static class GalleryImageReader
{
    /// <summary>The embedder <see cref="GalleryBuilder"/> calls per source; <paramref name="embed"/> gets the file's bytes and a field name for errors.</summary>
    public static Func<GallerySource, CancellationToken, Task<float[]?>> Embedder(string? dataRoot, long maxFileBytes,
        Func<byte[], string, CancellationToken, Task<float[]>> embed, bool skipUnreadable) => async (source, cancellationToken) =>
    {
        var path = InShopGallery.Resolve(dataRoot, source.ImagePath, out var problem);
        try
        {
            if (path is null) throw new IOException($"image path '{source.ImagePath}' {problem}");
            var bytes = await RegularFile.ReadAllBytesAsync(path, maxFileBytes, cancellationToken).ConfigureAwait(false);
            return await embed(bytes, $"gallery item {source.Id} ({source.ImagePath})", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RequestException)
        {
            if (skipUnreadable) return null;
            throw new InvalidDataException($"gallery item {source.Id} ({path ?? source.ImagePath}): {e.Message}", e);
        }
    };
}
