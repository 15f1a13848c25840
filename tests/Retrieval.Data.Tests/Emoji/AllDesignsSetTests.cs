using System.Text;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

/// <summary>
/// The richer emoji set on generated sources: a codepoint-named PNG source, a codepoint-named SVG source and a
/// CLDR-named SVG source with skin-tone files, joined through generated emoji-datasource/OpenMoji metadata.
/// </summary>
public sealed class AllDesignsSetTests : TempTreeTest
{
    private static readonly string[] Keys = ["1F600", "1F601", "1F604", "1F408", "1F431", "1F44D", "2764", "1FA85", "1F469-200D-1F4BB", "1F602"];

    private string Src(string source, string name) => Path.Combine(Tree.Root, "src", source, name);

    private static string Colour(int i) => $"#{40 + 20 * i:X2}{200 - 15 * i:X2}{(37 * i) % 256:X2}";

    private static string Svg(string colour, int shape) =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 72 72\"><circle cx=\"36\" cy=\"36\" r=\"{20 + shape}\" fill=\"{colour}\"/>" +
        $"<rect x=\"30\" y=\"{30 + shape % 5}\" width=\"12\" height=\"6\" fill=\"#000000\"/></svg>";

    private EmojiSet Fixture()
    {
        for (int i = 0; i < Keys.Length; i++)
        {
            string file = Keys[i].ToLowerInvariant() + (Keys[i] == "2764" ? "-fe0f" : "");
            var png = TestImages.Make(40, 40, (x, y, c) => (x - 20) * (x - 20) + (y - 20) * (y - 20) < 200 ? 30 * i + 10 * c : 255);
            Directory.CreateDirectory(Path.Combine(Tree.Root, "src", "google"));
            File.WriteAllBytes(Src("google", file + ".png"), ImageEncoder.EncodePng(png));
            Write(Src("openmoji-color", Keys[i] + ".svg"), Svg(Colour(i), i));
        }
        Write(Src("openmoji-color", "1F601.svg"), Svg("#123456", 99));   // the same drawing as 1F604: left out in both
        Write(Src("openmoji-color", "1F604.svg"), Svg("#123456", 99));
        Write(Src("openmoji-color", "1F44D-1F3FB.svg"), Svg("#AA0000", 1));   // skin tone
        Write(Src("openmoji-color", "E001.svg"), Svg("#00AA00", 2));          // private use: not an emoji of the list
        Write(Src("openmoji-color", "1F602.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle");   // malformed
        foreach (var (name, i) in new[] { ("grinning-face", 0), ("cat", 3), ("thumbs-up-default", 5), ("red-heart", 6) })
            Write(Src("fluent", name + ".svg"), Svg(Colour(i), 30 - i).Replace("viewBox=\"0 0 72 72\"", "viewBox=\"0 0 32 32\""));
        Write(Src("fluent", "thumbs-up-light.svg"), Svg("#FFDDAA", 3));   // skin tone of thumbs-up-default
        Write(Src("fluent", "phoenix-bird.svg"), Svg("#FF8800", 4));       // no emoji of that name
        return new EmojiSet(ProjectDatasets.Emoji, "emoji test",
        [
            new("google", Path.Combine(Tree.Root, "src", "google"), "png", EmojiNaming.Codepoints, "google licence"),
            new("openmoji-color", Path.Combine(Tree.Root, "src", "openmoji-color"), "svg", EmojiNaming.Codepoints, "CC-BY-SA openmoji"),
            new("fluent-modern", Path.Combine(Tree.Root, "src", "fluent"), "svg", EmojiNaming.CldrNames, "MIT fluent"),
        ], EmojiNameJoinTests.Vocabulary(Tree), DropIndistinct: true, ["metadata line"]);
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Sources_join_by_codepoint_and_name_with_every_exclusion_counted()
    {
        string outDir = Path.Combine(Tree.Root, "data", "emoji"), cache = Path.Combine(Tree.Root, "rendered");
        var (dataset, counts, single) = EmojiDatasetBuilder.Build(Fixture(), outDir, cache, TextWriter.Null);

        var classes = InShopReader.Read(outDir).Items.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.Select(i => i.RelativePath).ToList());
        Assert.Equal(["img/1F600/google.png", "img/1F600/openmoji-color.png", "img/1F600/fluent-modern.png"], classes["1F600"]);
        Assert.Equal(["img/1F408/google.png", "img/1F408/openmoji-color.png", "img/1F408/fluent-modern.png"], classes["1F408"]);
        Assert.Equal(["img/1F44D/google.png", "img/1F44D/openmoji-color.png", "img/1F44D/fluent-modern.png"], classes["1F44D"]);
        Assert.Equal(3, classes["2764"].Count);
        Assert.DoesNotContain("1F601", classes.Keys);   // google only, once openmoji's shared drawing is left out
        Assert.DoesNotContain("1F602", classes.Keys);   // google only: openmoji's file is malformed
        Assert.Equal(3, single);   // 1F601, 1F604, 1F602

        var (openmoji, fluent) = (counts[1], counts[2]);
        Assert.Equal((1, 1, 2), (openmoji.SkinTone, openmoji.OutsideVocabulary, openmoji.Indistinct));
        Assert.StartsWith("1F602.svg: malformed XML", openmoji.Failed.Single());
        Assert.Equal((1, 4), (fluent.SkinTone, fluent.Joined));
        Assert.Equal(["phoenix-bird (no emoji has this name)"], fluent.NotJoined);

        // Split by the stable hash; the query rotates with it over the designs in source order.
        foreach (var item in dataset.Items.GroupBy(i => i.Label))
        {
            ulong hash = StableHash.Fnv1a64(item.Key);
            var splits = item.Select(i => i.Split).ToList();
            if (hash % 2 == 0)
                Assert.All(splits, s => Assert.Equal(DatasetSplit.Train, s));
            else
                Assert.Equal(Enumerable.Range(0, splits.Count).Select(i => i == (int)((hash >> 1) % (ulong)splits.Count) ? DatasetSplit.Query : DatasetSplit.Gallery), splits);
        }

        var svg = ImageDecoder.DecodeFile(Path.Combine(outDir, "img", "1F600", "fluent-modern.png"));
        Assert.Equal((64, 64), (svg.Width, svg.Height));
        string md = File.ReadAllText(Path.Combine(outDir, "DATASET.md"));
        Assert.Contains("| fluent-modern | 5 | 4 | 0 | 0 | 4 | 80.0% | 1 | 0 |", md);
        Assert.Contains("- openmoji-color/1F602.svg: malformed XML", md);
        Assert.Contains("| images | classes |", md);
        Assert.Contains("CC-BY-SA openmoji", md);
        Assert.Contains("![designs](designs.png)", md);
        var sheet = ImageDecoder.DecodeFile(Path.Combine(outDir, DesignSheet.FileName));   // 7 classes x 3 sources, 64 px tiles, 4 px gaps
        Assert.Equal((3 * 68 + 4, 7 * 68 + 4), (sheet.Width, sheet.Height));
    }

    [Fact]
    public void A_rebuild_reads_the_render_cache_and_a_damaged_cache_is_reported_and_rebuilt()
    {
        var set = Fixture();
        string outDir = Path.Combine(Tree.Root, "data", "emoji"), cache = Path.Combine(Tree.Root, "rendered");
        EmojiDatasetBuilder.Build(set, outDir, cache, TextWriter.Null);
        string list = File.ReadAllText(Path.Combine(outDir, InShopReader.ListFileName));
        string pack = Path.Combine(cache, "openmoji-color-64.bin");
        var bytes = File.ReadAllBytes(pack);
        Assert.Equal(set.Sources.Count, Directory.GetFiles(cache).Length);

        // The pack holds every SVG design the first build rendered.
        var cached = RenderCache.Open(pack, new DesignRenderer(64, SvgLimits.Default).Tag(set.Sources[1]), TextWriter.Null);
        Assert.Equal(Keys.Length - 1, cached.Count);   // every rendered SVG, failures included; 1F601 and 1F604 share one entry

        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(pack, bytes);
        var log = new StringWriter();
        EmojiDatasetBuilder.Build(set, outDir, cache, log);
        Assert.Contains($"render cache {pack} ignored: checksum mismatch", log.ToString());
        Assert.Equal(list, File.ReadAllText(Path.Combine(outDir, InShopReader.ListFileName)));
    }
}
