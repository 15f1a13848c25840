using Retrieval.Core.Data;

namespace Retrieval.Core.Tests.Data;

public sealed class CubReaderTests : TempTreeTest
{
    private void WriteCub(string newline, string[] images, string[] labels)
    {
        Tree.Write("CUB_200_2011/images.txt", newline, images);
        Tree.Write("CUB_200_2011/image_class_labels.txt", newline, labels);
        Tree.Write("CUB_200_2011/classes.txt", newline, "1 001.Black_footed_Albatross", "101 101.White_Pelican");
        Tree.Write("CUB_200_2011/train_test_split.txt", newline, "1 1", "2 0", "3 1");
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Splits_by_class_1_to_100_train_101_to_200_test(string newline)
    {
        WriteCub(newline,
            ["1 001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg",
             "2 100.Brown_Pelican/Brown_Pelican_0010_94462.jpg",
             "3 101.White_Pelican/White_Pelican_0025_97604.jpg"],
            ["1 1", "2 100", "3 101"]);
        var ds = DatasetLoader.Load(Tree.Root);
        Assert.Equal("CUB_200_2011", ds.Name);
        Assert.Equal(Path.Combine(Tree.Root, "CUB_200_2011", "images"), ds.ImageRoot);
        Assert.Equal([DatasetSplit.Train, DatasetSplit.Train, DatasetSplit.Test], ds.Items.Select(i => i.Split));
        Assert.Equal(["1", "100", "101"], ds.Items.Select(i => i.Label));
        Assert.Equal("001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg", ds.Items[0].RelativePath);
        Assert.Equal(ds.Items, CubReader.Read(Path.Combine(Tree.Root, "CUB_200_2011")).Items);
    }

    [Fact]
    public void Class_out_of_range_names_the_label_file()
    {
        WriteCub("\n", ["1 001.A/a.jpg", "2 001.A/b.jpg"], ["1 1", "2 201"]);
        var e = Assert.Throws<DatasetFormatException>(() => CubReader.Read(Tree.Root));
        Assert.EndsWith("image_class_labels.txt", e.File);
        Assert.Equal((2, "class_id"), (e.Line, e.Field));
    }

    [Fact]
    public void Image_without_label_duplicate_id_and_escape_are_rejected()
    {
        WriteCub("\n", ["1 001.A/a.jpg", "2 001.A/b.jpg"], ["1 1"]);
        var e = Assert.Throws<DatasetFormatException>(() => CubReader.Read(Tree.Root));
        Assert.Equal((2, "image_id"), (e.Line, e.Field));

        WriteCub("\n", ["1 001.A/a.jpg", "1 001.A/b.jpg"], ["1 1"]);
        e = Assert.Throws<DatasetFormatException>(() => CubReader.Read(Tree.Root));
        Assert.Equal((2, "image_id"), (e.Line, e.Field));

        WriteCub("\n", ["1 ../../x.jpg"], ["1 1"]);
        e = Assert.Throws<DatasetFormatException>(() => CubReader.Read(Tree.Root));
        Assert.Equal((1, "image_name"), (e.Line, e.Field));

        WriteCub("\n", ["one 001.A/a.jpg"], ["1 1"]);
        e = Assert.Throws<DatasetFormatException>(() => CubReader.Read(Tree.Root));
        Assert.Equal((1, "image_id"), (e.Line, e.Field));
        Assert.EndsWith("images.txt", e.File);
    }
}
