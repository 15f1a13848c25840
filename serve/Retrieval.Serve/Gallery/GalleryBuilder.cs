using Microsoft.Extensions.Logging;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Gallery;

/// <summary>Embeds gallery image files in batches through the micro-batcher, logging progress; a missing or bad file stops the build with its path.</summary>
public static class GalleryBuilder
{
    /// <summary>Embeds every source; images that cannot be read are skipped when <paramref name="skipUnreadable"/>, else fail the build.</summary>
    public static async Task<(List<GalleryItem> Items, int Skipped)> EmbedAsync(
        IReadOnlyList<GallerySource> sources, string? dataRoot, MicroBatcher batcher, long maxPixels,
        bool skipUnreadable, ILogger logger, CancellationToken cancellationToken)
    {
        var items = new List<GalleryItem>(sources.Count);
        int skipped = 0, chunk = 64, nextLog = 0;
        for (int start = 0; start < sources.Count; start += chunk)
        {
            var part = sources.Skip(start).Take(chunk).ToArray();
            var tasks = part.Select(s => EmbedOneAsync(s, dataRoot, batcher, maxPixels, skipUnreadable, cancellationToken)).ToArray();
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

    private static async Task<GalleryItem?> EmbedOneAsync(GallerySource source, string? dataRoot, MicroBatcher batcher,
        long maxPixels, bool skipUnreadable, CancellationToken cancellationToken)
    {
        var path = InShopGalleryListing.Resolve(dataRoot, source.ImagePath);
        float[] input;
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            input = batcher.Model.Preprocess(bytes, maxPixels);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RequestException)
        {
            if (skipUnreadable) return null;
            throw new InvalidDataException($"gallery item {source.Id} ({path}): {e.Message}", e);
        }
        var embedding = await batcher.EmbedAsync(input, cancellationToken).ConfigureAwait(false);
        return new GalleryItem(source.Id, source.Label, source.ImagePath, embedding);
    }
}
