using Retrieval.Core.Data;
using Retrieval.Data.Building;
using Retrieval.Data.Safety;

namespace Retrieval.Data.Tests.Safety;

public sealed class DataDirCheckTests : TempTreeTest
{
    private string Dir(string name) => Path.Combine(Tree.Root, name);

    /// <summary>A complete project set of two classes, built through the real staging code.</summary>
    private string OwnSet(string name, string dataset)
    {
        string dir = Dir(name);
        using var staging = new InShopStaging(dir, ProjectDatasets.Marker(dataset));
        var image = TestImages.Make(8, 8, (x, y, c) => 100);
        staging.Add("img/a/1.png", "a", DatasetSplit.Train, image);
        staging.Add("img/a/2.png", "a", DatasetSplit.Train, image);
        staging.Add("img/b/1.png", "b", DatasetSplit.Query, image);
        staging.Add("img/b/2.png", "b", DatasetSplit.Gallery, image);
        staging.Commit(_ => "# test\n");
        return dir;
    }

    [Fact]
    public void Absent_folder_is_built_only_where_make_may_create_it()
    {
        Assert.Equal(DataDirAction.Build, DataDirCheck.Inspect(Dir("data/emoji"), "emoji", DataDirPurpose.Use, mayCreate: true).Action);
        var refused = DataDirCheck.Inspect(Dir("typo"), "emoji", DataDirPurpose.Use, mayCreate: false);
        Assert.Equal(DataDirAction.Refuse, refused.Action);
        Assert.Contains(Dir("typo"), refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(DataDirAction.Refuse, DataDirCheck.Inspect(Dir("x"), "no-such-set", DataDirPurpose.Build, mayCreate: true).Action);
        Assert.False(Directory.Exists(Dir("data")));
    }

    [Fact]
    public void A_users_in_shop_release_is_used_as_it_is_and_never_a_build_target()
    {
        string dir = Dir("In-shop");
        ForeignInShop.Write(dir, trainItems: 2, testItems: 2);
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Use, mayCreate: true).Action);
        var build = DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Build, mayCreate: true);
        Assert.Equal(DataDirAction.Refuse, build.Action);
        Assert.Contains("InShop data set that make data did not build", build.Message);

        File.Delete(Directory.EnumerateFiles(Path.Combine(dir, "Img"), "*.png", SearchOption.AllDirectories).First());
        var broken = DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Use, mayCreate: true);
        Assert.Equal((DataDirAction.Refuse, true), (broken.Action, broken.Message.Contains("1 of 12 images missing")));
    }

    [Fact]
    public void CUB_and_SOP_are_recognised_from_their_parent_folders()
    {
        Tree.Write("cub/CUB_200_2011/images.txt", "\n", "1 001.A/a.jpg");
        Tree.Write("cub/CUB_200_2011/image_class_labels.txt", "\n", "1 1");
        Tree.Touch("cub/CUB_200_2011/images/001.A/a.jpg");
        Tree.Write("sop/Stanford_Online_Products/Ebay_train.txt", "\n", "image_id class_id super_class_id path", "1 1 1 b/a.JPG");
        Tree.Write("sop/Stanford_Online_Products/Ebay_test.txt", "\n", "image_id class_id super_class_id path");
        Tree.Touch("sop/Stanford_Online_Products/b/a.JPG");
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(Dir("cub"), "emoji", DataDirPurpose.Use, false).Action);
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(Dir("sop"), "emoji", DataDirPurpose.Use, false).Action);
    }

    [Fact]
    public void An_unrecognised_folder_or_a_file_is_refused()
    {
        Tree.Write("notes/readme.txt", "\n", "hello");
        var verdict = DataDirCheck.Inspect(Dir("notes"), "emoji", DataDirPurpose.Use, mayCreate: true);
        Assert.Equal(DataDirAction.Refuse, verdict.Action);
        Assert.Contains(Dir("notes"), verdict.Message);
        Assert.Equal(DataDirAction.Refuse, DataDirCheck.Inspect(Dir("notes"), "emoji", DataDirPurpose.Build, true).Action);
        Assert.Equal(DataDirAction.Refuse, DataDirCheck.Inspect(Dir("notes/readme.txt"), "emoji", DataDirPurpose.Build, true).Action);
    }

    [Fact]
    public void Own_sets_are_used_when_complete_and_rebuilt_when_not()
    {
        string dir = OwnSet("data/emoji", "emoji");
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Use, true).Action);
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Build, true).Action);
        // Another of our sets: read as it is, rebuilt only when make data is asked for a different set.
        Assert.Equal(DataDirAction.Use, DataDirCheck.Inspect(dir, "fashion-mnist", DataDirPurpose.Use, true).Action);
        Assert.Equal(DataDirAction.Build, DataDirCheck.Inspect(dir, "fashion-mnist", DataDirPurpose.Build, true).Action);

        File.Delete(Path.Combine(dir, "img", "b", "2.png"));
        var stale = DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Use, true);
        Assert.Equal(DataDirAction.Build, stale.Action);
        Assert.Contains("1 of 4 images missing", stale.Message);

        new DatasetMarker("emoji", ProjectDatasets.Marker("emoji").Recipe - 1).WriteTo(OwnSet("data/old", "emoji"));
        Assert.Equal(DataDirAction.Build, DataDirCheck.Inspect(Dir("data/old"), "emoji", DataDirPurpose.Use, true).Action);
    }

    [Fact]
    public void A_marker_this_project_did_not_write_does_not_make_a_folder_ours()
    {
        string dir = Dir("In-shop");
        ForeignInShop.Write(dir, trainItems: 1, testItems: 1);
        File.WriteAllText(DatasetMarker.PathIn(dir), "{\"builder\": \"someone-else\", \"dataset\": \"emoji\", \"recipe\": 1}");
        Assert.Null(DatasetMarker.Read(dir));
        Assert.Equal(DataDirAction.Refuse, DataDirCheck.Inspect(dir, "emoji", DataDirPurpose.Build, true).Action);
        File.WriteAllText(DatasetMarker.PathIn(dir), "not json");
        Assert.Null(DatasetMarker.Read(dir));
    }
}
