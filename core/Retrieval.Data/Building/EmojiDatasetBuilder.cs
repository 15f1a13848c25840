using Retrieval.Core.Imaging;
using Retrieval.Core.Data;
using Retrieval.Data.Safety;

namespace Retrieval.Data.Building;

/// <summary>
/// Builds the cross-designer emoji retrieval set in In-Shop layout. One class per emoji (normalised codepoint
/// sequence, <see cref="EmojiKey"/>), one image per designer that draws it (decoded with <see cref="ImageDecoder"/>,
/// alpha over white, 64 px RGB PNG). Skin-tone variants are excluded. Classes with fewer than two decodable images
/// are dropped. Train/test by FNV-1a of the class id (even = train); a test class's query is the designer picked by
/// the hash's next bits, the other designers' images are its gallery.
/// </summary>
public static class EmojiDatasetBuilder
{
    public const int ImageSize = 64;

    /// <summary>Counts gathered while building, for the report and DATASET.md.</summary>
    public sealed record Stats(int SourceFiles, int SkinToneFiles, int UnnamedFiles, int UndecodableFiles, int SingleImageClasses);

    public static (RetrievalDataset Dataset, Stats Stats) Build(IReadOnlyList<EmojiSource> sources, string outDir, DatasetMarker marker,
        Action<int, int>? progress = null)
    {
        if (sources.Count < 2)
            throw new ArgumentException("need at least two designers");
        var byKey = new SortedDictionary<string, List<(int Designer, string Path)>>(StringComparer.Ordinal);
        int files = 0, skin = 0, unnamed = 0;
        for (int d = 0; d < sources.Count; d++)
        {
            if (!Directory.Exists(sources[d].PngDirectory))
                throw new DirectoryNotFoundException($"{sources[d].Designer}: PNG folder '{sources[d].PngDirectory}' not found (run scripts/fetch-data.sh)");
            foreach (string path in Directory.EnumerateFiles(sources[d].PngDirectory, "*.png").Order(StringComparer.Ordinal))
            {
                files++;
                string? key = EmojiKey.FromFileName(path);
                if (key is null) { unnamed++; continue; }
                if (EmojiKey.HasSkinTone(key)) { skin++; continue; }
                var list = byKey.TryGetValue(key, out var l) ? l : byKey[key] = [];
                if (list.All(e => e.Designer != d)) // a set spelling one emoji twice (with/without FE0F) counts once
                    list.Add((d, path));
            }
        }

        using var staging = new InShopStaging(outDir, marker);
        int undecodable = 0, single = 0, done = 0, total = byKey.Values.Sum(v => v.Count);
        foreach (var (key, entries) in byKey)
        {
            var images = new List<(int Designer, RgbImage Image)>();
            foreach (var (designer, path) in entries)
            {
                try
                {
                    images.Add((designer, ToSquare(ImageDecoder.DecodeFile(path))));
                }
                catch (ImageDecodeException)
                {
                    undecodable++;
                }
                progress?.Invoke(++done, total);
            }
            if (images.Count < 2) { single++; continue; }
            ulong hash = StableHash.Fnv1a64(key);
            bool train = hash % 2 == 0;
            int query = (int)((hash >> 1) % (ulong)images.Count);
            for (int i = 0; i < images.Count; i++)
            {
                var split = train ? DatasetSplit.Train : i == query ? DatasetSplit.Query : DatasetSplit.Gallery;
                staging.Add($"img/{key}/{sources[images[i].Designer].Designer}.png", key, split, images[i].Image);
            }
        }
        var stats = new Stats(files, skin, unnamed, undecodable, single);
        var dataset = staging.Commit(ds => Markdown(ds, sources, stats));
        return (dataset, stats);
    }

    private static RgbImage ToSquare(RgbImage image) =>
        image.Width == ImageSize && image.Height == ImageSize
            ? image
            : ImageTransforms.CenterCrop(ImageTransforms.ResizeShorterSide(image, ImageSize), ImageSize);

    private static string Markdown(RetrievalDataset dataset, IReadOnlyList<EmojiSource> sources, Stats stats) => $"""
        # emoji — cross-designer emoji retrieval set (DeepFashion In-Shop layout)

        Built by `make data` (`retrieval data emoji`). Do not edit; rebuild instead.

        ## Counts

        {SplitSummary.Markdown(dataset)}
        Source PNG files: {stats.SourceFiles}; skin-tone variants excluded: {stats.SkinToneFiles}; files not named by
        codepoints: {stats.UnnamedFiles}; undecodable: {stats.UndecodableFiles}; classes dropped for having a single
        image: {stats.SingleImageClasses}.

        ## How it was built

        - A class (`item_id`) is one emoji, identified by its Unicode codepoint sequence (uppercase hex joined by `-`,
          variation selectors FE0F/FE0E removed so designers that spell them differently still join). An image is one
          designer's drawing of it: designers {string.Join(", ", sources.Select(s => s.Designer))}.
        - Every image is decoded with the project's image pipeline (alpha composited over white), brought to
          {ImageSize}x{ImageSize} and stored as an RGB PNG at `img/<codepoints>/<designer>.png`.
        - Skin-tone variants (sequences containing U+1F3FB..U+1F3FF) are excluded: they repeat the base emoji's drawing
          with a recoloured skin, so as separate classes they would be near-duplicates that differ only in colour,
          and merged into the base class they would make a designer contribute several images to one class.
        - Classes with a single image (drawn by one designer only) are dropped.
        - Split by class: FNV-1a 64 of the class id, even = train, odd = test. In a test class the query is one
          designer's image, chosen by the next bits of the same hash; the other designers' images are the gallery.
        - `list_eval_partition.txt`: line 1 row count, line 2 `image_name item_id evaluation_status`, one row per image.

        ## Licences and attribution

        {string.Join("\n", sources.Select(s => $"- {s.Designer}: {s.Attribution}"))}

        """;
}
