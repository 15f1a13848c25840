using Retrieval.Core.Data;
using Retrieval.Data.Building;
using Retrieval.Data.Safety;
using Retrieval.Data.Tests.Safety;

namespace Retrieval.Data.Tests.Building;

public sealed class InShopStagingTests : TempTreeTest
{
    private static readonly DatasetMarker Marker = ProjectDatasets.Marker(ProjectDatasets.FashionMnist);
    private static readonly Core.Imaging.RgbImage Image = TestImages.Make(4, 4, (x, y, c) => 7);

    [Fact]
    public void A_folder_without_the_marker_is_never_replaced_or_deleted()
    {
        string dir = Path.Combine(Tree.Root, "In-shop");
        ForeignInShop.Write(dir, trainItems: 2, testItems: 1);
        string before = ForeignInShop.Fingerprint(dir);

        var e = Assert.Throws<IOException>(() => new InShopStaging(dir, Marker));
        Assert.Contains(dir, e.Message);
        Assert.Equal(before, ForeignInShop.Fingerprint(dir));
        Assert.Equal([dir], Directory.GetDirectories(Tree.Root));   // no staging folder left behind
    }

    [Fact]
    public void A_folder_that_appears_while_building_is_not_replaced()
    {
        string dir = Path.Combine(Tree.Root, "out");
        using var staging = new InShopStaging(dir, Marker);
        staging.Add("img/a/1.png", "a", DatasetSplit.Train, Image);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "mine.txt"), "user data");

        Assert.Throws<IOException>(() => staging.Commit(_ => "# t\n"));
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_it_merely_finds_next_to_the_destination_is_left_alone()
    {
        // The old staging code deleted "<out>.staging-<pid>" whenever it existed.
        string dir = Path.Combine(Tree.Root, "out");
        string squatter = $"{dir}.staging-{Environment.ProcessId}";
        Tree.Write(Path.GetRelativePath(Tree.Root, Path.Combine(squatter, "keep.txt")), "\n", "keep");
        using (var staging = new InShopStaging(dir, Marker))
        {
            staging.Add("img/a/1.png", "a", DatasetSplit.Train, Image);
            staging.Commit(_ => "# t\n");
        }
        Assert.True(File.Exists(Path.Combine(squatter, "keep.txt")));
        Assert.Equal(Marker, DatasetMarker.Read(dir));
    }

    [Fact]
    public void Its_own_set_is_replaced_and_an_abandoned_build_removes_only_its_staging_folder()
    {
        string dir = Path.Combine(Tree.Root, "out");
        using (var first = new InShopStaging(dir, Marker))
        {
            first.Add("img/a/1.png", "a", DatasetSplit.Train, Image);
            first.Commit(_ => "# first\n");
        }
        using (var second = new InShopStaging(dir, Marker))
        {
            second.Add("img/b/1.png", "b", DatasetSplit.Train, Image);
            second.Commit(_ => "# second\n");
        }
        Assert.Equal("# second\n", File.ReadAllText(Path.Combine(dir, "DATASET.md")));
        Assert.False(File.Exists(Path.Combine(dir, "img", "a", "1.png")));

        using (var abandoned = new InShopStaging(dir, Marker))
            abandoned.Add("img/c/1.png", "c", DatasetSplit.Train, Image);
        Assert.Equal([dir], Directory.GetDirectories(Tree.Root));
        Assert.Equal("# second\n", File.ReadAllText(Path.Combine(dir, "DATASET.md")));
    }
}
