using Retrieval.Core.Data;
using Retrieval.Data.Building;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Builds an emoji retrieval set in In-Shop layout. One class per emoji (<see cref="EmojiKey"/>: the codepoint
/// sequence, FE0F/FE0E removed, so sources join), one image per design that draws it, rendered once to a
/// <see cref="ImageSize"/> px RGB PNG (<see cref="DesignRenderer"/>, cached). Classes need at least two designs.
/// Split by FNV-1a 64 of the class key: even = train, odd = test; in a test class the query is design number
/// (hash &gt;&gt; 1) mod (designs of the class) in source order, the others are its gallery — the choice rotates with the
/// hash, so every source is a query for some classes, and it is the rule the three-design set always used. A design
/// whose image is identical to another class's design from the same source is left out when the set asks for it
/// (<see cref="EmojiSet.DropIndistinct"/>: it cannot tell the classes apart).
/// </summary>
public static class EmojiDatasetBuilder
{
    public const int ImageSize = 64;

    /// <summary>The set written and what each source contributed.</summary>
    public sealed record Result(RetrievalDataset Dataset, SourceCounts[] Counts, int SingleDesignClasses);

    /// <param name="set">Sources and vocabulary (<see cref="EmojiSets"/>).</param>
    /// <param name="outDir">Destination; replaced only when it carries the project's marker.</param>
    /// <param name="renderCacheDir">Folder of the per-source render caches.</param>
    /// <param name="log">Where cache problems are reported.</param>
    /// <param name="progress">(done, total) designs rendered.</param>
    public static Result Build(EmojiSet set, string outDir, string renderCacheDir, TextWriter log, Action<int, int>? progress = null,
        SvgLimits? svgLimits = null)
    {
        if (set.Sources.Count < 2)
            throw new ArgumentException("need at least two design sources");
        var (designs, counts) = EmojiCatalog.Collect(set.Sources, set.Vocabulary);
        using var staging = new InShopStaging(outDir, ProjectDatasets.Marker(set.Name));

        var renderer = new DesignRenderer(ImageSize, svgLimits ?? SvgLimits.Default);
        Directory.CreateDirectory(renderCacheDir);
        var caches = set.Sources.Select(s => RenderCache.Open(Path.Combine(renderCacheDir, $"{s.Name}-{ImageSize}.bin"), renderer.Tag(s), log)).ToList();
        var rendered = renderer.RenderAll(designs, set.Sources, caches, progress);
        foreach (var cache in caches)
            cache.Save();

        var indistinct = set.DropIndistinct ? Indistinct(designs, rendered) : [];
        var byKey = new SortedDictionary<string, List<(int Source, byte[] Png)>>(StringComparer.Ordinal);
        for (int i = 0; i < designs.Count; i++)
        {
            var (design, result) = (designs[i], rendered[i]);
            if (result.Png is null)
            {
                counts[design.Source].Failed.Add($"{Path.GetFileName(design.Path)}: {result.Error}");
                continue;
            }
            if (indistinct.Contains(i))
            {
                counts[design.Source].Indistinct++;
                continue;
            }
            (byKey.TryGetValue(design.Key, out var list) ? list : byKey[design.Key] = []).Add((design.Source, result.Png));
        }

        int single = 0;
        foreach (var (key, images) in byKey)
        {
            if (images.Count < 2) { single++; continue; }
            ulong hash = StableHash.Fnv1a64(key);
            bool train = hash % 2 == 0;
            int query = (int)((hash >> 1) % (ulong)images.Count);
            for (int i = 0; i < images.Count; i++)
            {
                var split = train ? DatasetSplit.Train : i == query ? DatasetSplit.Query : DatasetSplit.Gallery;
                var source = counts[images[i].Source];
                source.Written[split] = source.Written.GetValueOrDefault(split) + 1;
                staging.Add($"img/{key}/{set.Sources[images[i].Source].Name}.png", key, split, images[i].Png);
            }
        }
        staging.AddFile(DesignSheet.FileName, DesignSheet.Render(byKey, set.Sources.Count, ImageSize));
        var dataset = staging.Commit(ds => EmojiDatasetReport.Markdown(ds, set, counts, single, ImageSize));
        return new Result(dataset, counts, single);
    }

    /// <summary>
    /// Designs whose rendered image is identical to a design of another class in the same source (OpenMoji's line-art
    /// flags are all the same empty rectangle): they carry nothing that tells their class apart, so they are left out.
    /// </summary>
    private static HashSet<int> Indistinct(IReadOnlyList<EmojiDesign> designs, IReadOnlyList<RenderResult> rendered)
    {
        var classesOf = new Dictionary<(int Source, string Image), HashSet<string>>();
        for (int i = 0; i < designs.Count; i++)
            if (rendered[i].Png is { } png)
            {
                var id = (designs[i].Source, RenderCache.Hash(png));
                (classesOf.TryGetValue(id, out var keys) ? keys : classesOf[id] = new HashSet<string>(StringComparer.Ordinal)).Add(designs[i].Key);
            }
        return Enumerable.Range(0, designs.Count)
            .Where(i => rendered[i].Png is { } png && classesOf[(designs[i].Source, RenderCache.Hash(png))].Count > 1).ToHashSet();
    }
}
