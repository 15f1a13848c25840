using Retrieval.Core.Data;

namespace Retrieval.Core.Tests.Data;

public sealed class InShopReaderTests : TempTreeTest
{
    // Row shapes copied from the release: padded columns, trailing spaces.
    private static readonly string[] Release =
    [
        "4",
        "image_name item_id evaluation_status",
        "img/WOMEN/Dresses/id_00000002/02_1_front.jpg             id_00000002 train     ",
        "img/WOMEN/Dresses/id_00000002/02_2_side.jpg              id_00000002 train     ",
        "img/WOMEN/Blouses_Shirts/id_00000001/02_1_front.jpg      id_00000001 query     ",
        "img/WOMEN/Blouses_Shirts/id_00000001/02_3_back.jpg       id_00000001 gallery   ",
    ];

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Reads_the_release_layout_with_eval_folder_and_capital_img(string newline)
    {
        Tree.Write("Eval/list_eval_partition.txt", newline, Release);
        Directory.CreateDirectory(Path.Combine(Tree.Root, "Img", "img"));
        var ds = InShopReader.Read(Tree.Root);
        Assert.Equal(4, ds.Items.Count);
        Assert.Equal(new DatasetItem("img/WOMEN/Dresses/id_00000002/02_1_front.jpg", "id_00000002", DatasetSplit.Train), ds.Items[0]);
        Assert.Equal(DatasetSplit.Gallery, ds.Items[3].Split);
        Assert.Equal("id_00000001", ds.Items[3].Label);
        Assert.Equal(2, ds.Train.Count);
        Assert.Single(ds.Query);
        Assert.Single(ds.Gallery);
        Assert.Empty(ds.Test);
        Assert.Equal(Path.Combine(Tree.Root, "Img", "img", "WOMEN", "Dresses", "id_00000002", "02_1_front.jpg"), ds.AbsolutePath(ds.Items[0]));
    }

    [Fact]
    public void Flat_layout_resolves_images_against_root()
    {
        Tree.Write("list_eval_partition.txt", "\n", Release);
        Directory.CreateDirectory(Path.Combine(Tree.Root, "img"));
        var ds = InShopReader.Read(Tree.Root);
        Assert.Equal(Path.GetFullPath(Tree.Root), ds.ImageRoot);
        Assert.Equal(ds.Items, DatasetLoader.Load(Tree.Root).Items);
    }

    [Theory]
    [InlineData("img/a.jpg id_1", 3, "evaluation_status")]
    [InlineData("img/a.jpg id_1 train extra", 3, "extra #4")]
    [InlineData("img/a.jpg id_1 validation", 3, "evaluation_status")]
    [InlineData("../secret.jpg id_1 train", 3, "image_name")]
    [InlineData("img/../../secret.jpg id_1 train", 3, "image_name")]
    [InlineData("/etc/passwd id_1 train", 3, "image_name")]
    public void Malformed_row_names_file_line_and_field(string row, int line, string field)
    {
        string path = Tree.Write("list_eval_partition.txt", "\r\n", "1", "image_name item_id evaluation_status", row);
        var e = Assert.Throws<DatasetFormatException>(() => InShopReader.Read(Tree.Root));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains($"{path}:{line}:", e.Message);
    }

    [Fact]
    public void Row_count_mismatch_and_bad_header_are_reported()
    {
        Tree.Write("list_eval_partition.txt", "\n", "3", "image_name item_id evaluation_status", "img/a.jpg id_1 train");
        var e = Assert.Throws<DatasetFormatException>(() => InShopReader.Read(Tree.Root));
        Assert.Equal((1, "row_count"), (e.Line, e.Field));

        Tree.Write("list_eval_partition.txt", "\n", "1", "image item evaluation_status", "img/a.jpg id_1 train");
        e = Assert.Throws<DatasetFormatException>(() => InShopReader.Read(Tree.Root));
        Assert.Equal((2, "header"), (e.Line, e.Field));

        Tree.Write("list_eval_partition.txt", "\n", "x1", "image_name item_id evaluation_status", "img/a.jpg id_1 train");
        e = Assert.Throws<DatasetFormatException>(() => InShopReader.Read(Tree.Root));
        Assert.Equal((1, "row_count"), (e.Line, e.Field));
    }

    [Fact]
    public void Missing_images_are_counted_with_the_first_paths()
    {
        Tree.Write("list_eval_partition.txt", "\n", Release);
        Tree.Touch("img/WOMEN/Dresses/id_00000002/02_1_front.jpg");
        var ds = InShopReader.Read(Tree.Root);
        var missing = MissingImages.Find(ds, keep: 2);
        Assert.Equal(3, missing.Count);
        Assert.Equal(4, missing.Checked);
        Assert.Equal([ds.AbsolutePath(ds.Items[1]), ds.AbsolutePath(ds.Items[2])], missing.First);
        var e = Assert.Throws<FileNotFoundException>(missing.ThrowIfAny);
        Assert.Contains("3 of 4 images missing", e.Message);

        foreach (var item in ds.Items)
            Tree.Touch(item.RelativePath);
        Assert.True(MissingImages.Find(ds).None);
    }
}
