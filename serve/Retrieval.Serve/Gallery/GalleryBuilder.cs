using Microsoft.Extensions.Logging;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// Embeds gallery image files in batches, logging progress. Paths are names under the data root's image folder
/// (<see cref="ImagePaths"/>) and only regular files up to a size cap are opened (<see cref="RegularFile"/>); an item
/// whose image cannot be read is skipped and counted, or stops the build with its path.
/// </summary>
public static class GalleryBuilder
{
    /// <summary>Embeds every source; images that cannot be read are skipped when <paramref name="skipUnreadable"/>, else fail the build.</summary>
    public static async Task<(List<GalleryItem> Items, int Skipped)> EmbedAsync(
        IReadOnlyList<GallerySource> sources, string? dataRoot, Func<byte[], string, CancellationToken, Task<float[]>> embed,
        long maxFileBytes, bool skipUnreadable, ILogger logger, CancellationToken cancellationToken)
    {
        var items = new List<GalleryItem>(sources.Count);
        int skipped = 0, chunk = 64, nextLog = 0;
        for (int start = 0; start < sources.Count; start += chunk)
        {
            var part = sources.Skip(start).Take(chunk).ToArray();
            var tasks = part.Select(s => EmbedOneAsync(s, dataRoot, embed, maxFileBytes, skipUnreadable, cancellationToken)).ToArray();
            foreach (var item in await Task.WhenAll(tasks).ConfigureAwait(false))
                if (item is null) skipped++; else items.Add(item);
            int done = start + part.Length;
            if (done >= nextLog || done == sources.Count)
            {
                logger.LogInformation("Gallery: embedded {Done}/{Total} images ({Percent:F0}%)", done, sources.Count, 100.0 * done / Math.Max(1, sources.Count));
                nextLog = done + Math.Max(chunk, sources.Count / 10);
            }
        }
        if (skipped > 0) logger.LogWarning("Gallery: {Skipped} items had no readable image and were dropped", skipped);
        return (items, skipped);
    }

    private static async Task<GalleryItem?> EmbedOneAsync(GallerySource source, string? dataRoot,
        Func<byte[], string, CancellationToken, Task<float[]>> embed, long maxFileBytes, bool skipUnreadable, CancellationToken cancellationToken)
    {
        var path = InShopGallery.Resolve(dataRoot, source.ImagePath, out var problem);
        try
        {
            if (path is null) throw new IOException($"image path '{source.ImagePath}' {problem}");
            var bytes = await RegularFile.ReadAllBytesAsync(path, maxFileBytes, cancellationToken).ConfigureAwait(false);
            var embedding = await embed(bytes, $"gallery item {source.Id} ({source.ImagePath})", cancellationToken).ConfigureAwait(false);
            return new GalleryItem(source.Id, source.Label, source.ImagePath, embedding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RequestException)
        {
            if (skipUnreadable) return null;
            throw new InvalidDataException($"gallery item {source.Id} ({path ?? source.ImagePath}): {e.Message}", e);
        }
    }
}
