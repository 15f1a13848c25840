using Microsoft.Extensions.Logging;
using Retrieval.Core.Storage;

namespace Retrieval.Serve.Gallery;

/// <summary>Embeds gallery sources in chunks through a caller-given embedder, logging progress; sources the embedder gives up on (null) are dropped and counted.</summary>
public static class GalleryBuilder
{
    /// <summary>Embeds every source; <paramref name="embed"/> returns null for an item to skip (its image unreadable) or throws to stop the build.</summary>
    public static async Task<(List<VectorItem> Items, int Skipped)> EmbedAsync(
        IReadOnlyList<GallerySource> sources, Func<GallerySource, CancellationToken, Task<float[]?>> embed, ILogger logger,
        CancellationToken cancellationToken)
    {
        var items = new List<VectorItem>(sources.Count);
        int skipped = 0, chunk = 64, nextLog = 0;
        for (int start = 0; start < sources.Count; start += chunk)
        {
            var part = sources.Skip(start).Take(chunk).ToArray();
            var embeddings = await Task.WhenAll(part.Select(s => embed(s, cancellationToken))).ConfigureAwait(false);
            for (int i = 0; i < part.Length; i++)
            {
                if (embeddings[i] is not { } embedding)
                {
                    skipped++;
                    continue;
                }
                var s = part[i];
                items.Add(new VectorItem(s.Id, new ItemMetadata(s.Label, s.ImagePath, s.Attributes ?? ItemMetadata.NoAttributes), embedding));
            }
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
}
