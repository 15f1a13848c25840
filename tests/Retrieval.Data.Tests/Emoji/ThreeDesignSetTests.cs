using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

/// <summary>The three-design PNG set (DATASET=emoji3), built as it always was, through the general emoji builder.</summary>
public sealed class ThreeDesignSetTests : TempTreeTest
{
    private string Cache => Path.Combine(Tree.Root, "rendered");

    private EmojiDatasetBuilder.Result Build(EmojiSet set, string outDir) => EmojiDatasetBuilder.Build(set, outDir, Cache, TextWriter.Null);

    private string Png(string designer, string name, byte r, byte alpha = 255, int size = 32)
    {
        var rgba = new byte[size * size * 4];
        for (int p = 0; p < size * size; p++)
            (rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2], rgba[4 * p + 3]) = (r, 10, 20, alpha);
        string path = Path.Combine(Tree.Root, "src", designer, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestImages.EncodeRgbaPng(size, size, rgba));
        return path;
    }

    private EmojiSet Sources() => new(ProjectDatasets.Emoji3, "emoji3 test",
        new[] { "google", "twitter", "emojione" }.Select(d => new EmojiDesignSource(d, Path.Combine(Tree.Root, "src", d), "png", EmojiNaming.Codepoints, $"{d} licence")).ToList(),
        null, DropIndistinct: false, []);

    private EmojiSet Fixture()
    {
        foreach (string d in new[] { "google", "twitter", "emojione" })
            Directory.CreateDirectory(Path.Combine(Tree.Root, "src", d));
        Png("google", "1f600.png", 100);
        Png("twitter", "1f600.png", 110, alpha: 0);
        Png("emojione", "1F600.png", 120);
        Png("google", "0023-fe0f-20e3.png", 1);
        Png("emojione", "0023-20E3.png", 2);
        Png("google", "1f44d-1f3fb.png", 3);   // skin tone: excluded
        Png("twitter", "1f44d-1f3fb.png", 3);
        Png("google", "2705.png", 4);          // one designer only: dropped
        Png("google", "1f601.png", 5);
        File.WriteAllText(Path.Combine(Tree.Root, "src", "twitter", "1f601.png"), "corrupt"); // undecodable -> single -> dropped
        for (int i = 0; i < 12; i++) // enough classes that both splits occur
        {
            Png("google", $"1f9{i:x2}.png", (byte)i);
            Png("twitter", $"1f9{i:x2}.png", (byte)i);
        }
        return Sources();
    }

    [Fact]
    public void Builds_an_in_shop_set_joined_across_designers()
    {
        string outDir = Path.Combine(Tree.Root, "data", "emoji");
        var (built, counts, single) = Build(Fixture(), outDir);
        Assert.Equal((2, 1, 2), (counts.Sum(c => c.SkinTone), counts.Sum(c => c.Failed.Count), single));
        Assert.StartsWith("1f601.png: ", counts[1].Failed.Single());

        var ds = InShopReader.Read(outDir); // what we wrote reads back with the In-Shop reader
        Assert.Equal(built.Items, ds.Items);
        Assert.True(MissingImages.Find(ds).None);
        Assert.True(File.Exists(Path.Combine(outDir, "DATASET.md")));
        Assert.Equal([outDir], Directory.GetDirectories(Path.GetDirectoryName(outDir)!)); // no staging or old folder left

        var classes = ds.Items.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(14, classes.Count);
        Assert.Equal(["emojione", "google", "twitter"], classes["1F600"].Select(i => Path.GetFileNameWithoutExtension(i.RelativePath)).Order());
        Assert.Equal(2, classes["0023-20E3"].Count);
        Assert.DoesNotContain("2705", classes.Keys);
        Assert.DoesNotContain("1F601", classes.Keys);
        Assert.DoesNotContain(classes.Keys, k => k.Contains("1F3FB"));

        foreach (var (key, items) in classes)
        {
            bool train = StableHash.Fnv1a64(key) % 2 == 0;
            if (train)
                Assert.All(items, i => Assert.Equal(DatasetSplit.Train, i.Split));
            else
            {
                Assert.Single(items, i => i.Split == DatasetSplit.Query);
                Assert.Equal(items.Count - 1, items.Count(i => i.Split == DatasetSplit.Gallery));
            }
        }
        Assert.NotEmpty(ds.Train);
        Assert.NotEmpty(ds.Query);

        // 32 px source brought to 64 px RGB, transparent twitter drawing composited over white.
        var twitter = ImageDecoder.DecodeFile(ds.AbsolutePath(classes["1F600"].Single(i => i.RelativePath.EndsWith("twitter.png"))));
        Assert.Equal((64, 64), (twitter.Width, twitter.Height));
        Assert.Equal((255, 255, 255), TestImages.At(twitter, 10, 50));
        var google = ImageDecoder.DecodeFile(ds.AbsolutePath(classes["1F600"].Single(i => i.RelativePath.EndsWith("google.png"))));
        Assert.Equal((100, 10, 20), TestImages.At(google, 63, 0));
    }

    [Fact]
    public void Rebuilding_gives_identical_lists_and_replaces_the_old_folder()
    {
        var sources = Fixture();
        string outDir = Path.Combine(Tree.Root, "data", "emoji");
        Build(sources, outDir);
        string first = File.ReadAllText(Path.Combine(outDir, InShopReader.ListFileName));
        File.WriteAllText(Path.Combine(outDir, "stale.txt"), "x");
        Build(sources, outDir);
        Assert.Equal(first, File.ReadAllText(Path.Combine(outDir, InShopReader.ListFileName)));
        Assert.False(File.Exists(Path.Combine(outDir, "stale.txt")));
    }

    [Fact]
    public void Missing_source_folder_fails_before_anything_is_written()
    {
        string outDir = Path.Combine(Tree.Root, "data", "emoji");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Build(Sources(), outDir));
        Assert.Contains("google", e.Message);
        Assert.False(Directory.Exists(outDir));
    }
}
