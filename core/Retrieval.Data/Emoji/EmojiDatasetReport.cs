using System.Globalization;
using System.Text;
using Retrieval.Core.Data;
using Retrieval.Data.Building;

namespace Retrieval.Data.Emoji;

/// <summary>DATASET.md of an emoji set: counts per split and per source, images per class, the name join, failures, licences.</summary>
public static class EmojiDatasetReport
{
    private static readonly DatasetSplit[] Splits = [DatasetSplit.Train, DatasetSplit.Query, DatasetSplit.Gallery];

    public static string Markdown(RetrievalDataset dataset, EmojiSet set, SourceCounts[] counts, int singleDesignClasses, int size)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(c, $"# {set.Title}").AppendLine();
        md.AppendLine(c, $"DeepFashion In-Shop layout. Built by `make data DATASET={set.Name}` (`retrieval-data {set.Name}`). Do not edit; rebuild instead.").AppendLine();
        md.AppendLine(c, $"![designs]({DesignSheet.FileName})").AppendLine();
        md.AppendLine(c, $"`{DesignSheet.FileName}`: eight classes drawn by the most sources, one per row; columns {string.Join(", ", set.Sources.Select(s => s.Name))}.").AppendLine();
        md.AppendLine("## Counts").AppendLine().Append(SplitSummary.Markdown(dataset)).AppendLine();
        md.AppendLine(c, $"Classes dropped for having fewer than two designs: {singleDesignClasses}.").AppendLine();

        md.AppendLine("### Per source").AppendLine();
        md.AppendLine("| source | files | skin-tone variants | not an emoji name | name not joined | not in the emoji list | duplicates | failed to render | same image as another class | train | query | gallery | images |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int s = 0; s < set.Sources.Count; s++)
        {
            var n = counts[s];
            md.AppendLine(c, $"| {set.Sources[s].Name} | {n.Files} | {n.SkinTone} | {n.Unnamed} | {n.NotJoined.Count} | {n.OutsideVocabulary} | {n.Duplicates} | {n.Failed.Count} | {n.Indistinct} | " +
                             $"{string.Join(" | ", Splits.Select(split => n.Written.GetValueOrDefault(split)))} | {n.Written.Values.Sum()} |");
        }
        md.AppendLine();

        md.AppendLine("### Images per class").AppendLine().AppendLine("| images | classes |").AppendLine("|---:|---:|");
        foreach (var g in dataset.Items.GroupBy(i => i.Label).GroupBy(g => g.Count()).OrderBy(g => g.Key))
            md.AppendLine(c, $"| {g.Key} | {g.Count()} |");
        md.AppendLine();

        AppendJoin(md, set, counts);
        AppendFailures(md, set, counts);

        md.AppendLine("## How it was built").AppendLine();
        md.AppendLine(c, $"""
            - A class (`item_id`) is one emoji, identified by its Unicode codepoint sequence (uppercase hex joined by `-`, variation
              selectors FE0F/FE0E removed so sources that spell them differently join). An image is one design of it:
              {string.Join(", ", set.Sources.Select(s => s.Name))} (this order is the order of designs within a class).
            {(set.Vocabulary is null ? "- Any codepoint-named file is a candidate class (as this set was always built)." :
              "- Classes are the emoji of emoji-datasource 16.0.0's list; other codepoint files (OpenMoji's extra symbols and flags, private-use designs) are left out and counted.")}
            - Fluent's files are named by CLDR short name; they are joined to codepoints by name (see the join report). A name
              with skin-tone variants has a `-default` file (used) and `-light`, `-medium-light`, `-medium`, `-medium-dark`,
              `-dark` files (left out).
            - Skin-tone variants are excluded everywhere: they repeat the base drawing with recoloured skin, so as classes they
              would be near-duplicates separable only by colour, and merged into the base class they would give one design
              several images of a class.
            - PNG designs are decoded by the project's image pipeline (alpha composited over white), scaled by the shorter side
              and centre-cropped to {size}x{size}. SVG designs are rendered with Svg.Skia 5.2.3 on SkiaSharp, over white, framed by
              what they draw (the bounding box of visible pixels, centred, with a 1/32 margin): OpenMoji draws on a 72-unit grid
              with a wide safe area, the other designs fill their frame. Before rendering, an SVG must be well-formed XML with
              no DTD, at most 4 MiB and 50,000 elements, with no reference outside the file, and its picture at most 200,000
              drawing operations; files that fail are skipped, counted and listed above, never fatal.
            - {size} px, as the three-design set: the designs are flat drawings, and ResNet-18 features of the emoji test split
              measured 0.217 MAP@R at 64 px against 0.208 at 128 px (upscaling adds nothing), at a quarter of the pixels.
            {(set.DropIndistinct ? "- A design whose rendered image is identical to a design of another class from the same source is left out: it cannot tell its class apart (OpenMoji's line-art flags are all the same empty rectangle; Twitter draws the family sequences alike)." : "- Designs identical to another class's design are kept (as this set was always built).")}
            - Classes with fewer than two designs are dropped. Split by class: FNV-1a 64 of the class key, even = train, odd =
              test (the hash of the three-design set, so a class that was a test class stays one). In a test class the query is
              design number (hash >> 1) mod (number of designs) in the order above, the others are the gallery: the choice
              rotates with the hash, so every source is a query for some classes (see the per-source query column).
            - `list_eval_partition.txt`: line 1 row count, line 2 `image_name item_id evaluation_status`, one row per image.

            ## Licences and attribution

            The images are adaptations (rescaled, composited over white) of the designs below. Images adapted from CC-BY-SA
            designs (OpenMoji, EmojiOne) are shared under CC-BY-SA 4.0; the others keep their licences.

            """);
        foreach (var source in set.Sources)
            md.AppendLine(c, $"- {source.Name}: {source.Attribution}");
        foreach (string line in set.MetadataAttributions)
            md.AppendLine(c, $"- {line}");
        return md.ToString();
    }

    private static void AppendJoin(StringBuilder md, EmojiSet set, SourceCounts[] counts)
    {
        var named = Enumerable.Range(0, set.Sources.Count).Where(s => set.Sources[s].Naming == EmojiNaming.CldrNames).ToList();
        if (named.Count == 0) return;
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("### Name join (CLDR-named sources)").AppendLine();
        md.AppendLine("Names are matched as slugs against CLDR short names first, then Unicode names, then emoji-datasource short names, " +
                      "each restricted to the emoji list; the first table with exactly one match wins.").AppendLine();
        md.AppendLine("| source | base names | via CLDR | via Unicode name | via short name | joined | join rate | not found | ambiguous |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int s in named)
        {
            var v = counts[s].JoinedVia;
            int total = v.Values.Sum(), joined = counts[s].Joined;
            md.AppendLine(c, $"| {set.Sources[s].Name} | {total} | {v.GetValueOrDefault(EmojiNameJoin.Via.Cldr)} | {v.GetValueOrDefault(EmojiNameJoin.Via.UnicodeName)} | " +
                             $"{v.GetValueOrDefault(EmojiNameJoin.Via.ShortName)} | {joined} | {(total == 0 ? 0 : 100.0 * joined / total):F1}% | " +
                             $"{v.GetValueOrDefault(EmojiNameJoin.Via.NotFound)} | {v.GetValueOrDefault(EmojiNameJoin.Via.Ambiguous)} |");
        }
        md.AppendLine();
        foreach (int s in named.Where(s => counts[s].NotJoined.Count > 0))
            md.AppendLine(c, $"Not joined in {set.Sources[s].Name}: {string.Join(", ", counts[s].NotJoined)}.").AppendLine();
    }

    private static void AppendFailures(StringBuilder md, EmojiSet set, SourceCounts[] counts)
    {
        if (counts.All(n => n.Failed.Count == 0)) return;
        md.AppendLine("### Files that failed to render (skipped)").AppendLine();
        for (int s = 0; s < set.Sources.Count; s++)
            foreach (string failure in counts[s].Failed)
                md.AppendLine(CultureInfo.InvariantCulture, $"- {set.Sources[s].Name}/{failure}");
        md.AppendLine();
    }
}
