using Retrieval.Core.Data;

namespace Retrieval.Core.Tests.Data;

public sealed class SopReaderTests : TempTreeTest
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Reads_train_and_test_files(string newline)
    {
        Tree.Write("Ebay_train.txt", newline, "image_id class_id super_class_id path",
            "1 1 1 bicycle_final/111085122871_0.JPG", "2 1 1 bicycle_final/111085122871_1.JPG");
        // image_id restarts in the test file (not unique across files).
        Tree.Write("Ebay_test.txt", newline, "image_id class_id super_class_id path",
            "1 11319 1 bicycle_final/111265328556_0.JPG");
        var ds = DatasetLoader.Load(Tree.Root);
        Assert.Equal(3, ds.Items.Count);
        Assert.Equal(new DatasetItem("bicycle_final/111265328556_0.JPG", "11319", DatasetSplit.Test), ds.Items[2]);
        Assert.Equal(2, ds.Train.Count);
        Assert.Equal(new Dictionary<DatasetSplit, int> { [DatasetSplit.Train] = 2, [DatasetSplit.Test] = 1 }, ds.CountsBySplit());
    }

    [Fact]
    public void Is_found_from_the_folder_above_the_release_and_evaluates_query_is_reference()
    {
        Tree.Write("Stanford_Online_Products/Ebay_train.txt", "\n", "image_id class_id super_class_id path", "1 1 1 bicycle_final/a_0.JPG");
        Tree.Write("Stanford_Online_Products/Ebay_test.txt", "\n", "image_id class_id super_class_id path",
            "1 11319 1 bicycle_final/b_0.JPG", "2 11319 1 bicycle_final/b_1.JPG");
        var ds = DatasetLoader.Load(Tree.Root);
        Assert.Equal("Stanford_Online_Products", ds.Name);
        Assert.Equal(Path.Combine(Tree.Root, "Stanford_Online_Products"), ds.ImageRoot);
        Assert.Equal(ds.ImageRoot, DatasetLoader.ImageRoot(Tree.Root));
        Assert.Equal(DatasetFormat.Sop, DatasetLoader.Detect(Tree.Root));
        Assert.True(ds.QueryIsReference);
        Assert.Equal(ds.Test, ds.Queries);
        Assert.Equal(ds.Test, ds.Reference);
        Assert.Equal(2, ds.Reference.Count);
    }

    [Fact]
    public void Bad_rows_and_missing_test_file_are_reported()
    {
        Tree.Write("Ebay_train.txt", "\n", "image_id class_id super_class_id path", "1 x 1 bicycle_final/a.JPG");
        Tree.Write("Ebay_test.txt", "\n", "image_id class_id super_class_id path");
        var e = Assert.Throws<DatasetFormatException>(() => SopReader.Read(Tree.Root));
        Assert.Equal((2, "class_id"), (e.Line, e.Field));

        Tree.Write("Ebay_train.txt", "\n", "image_id class_id super_class_id path", "1 1 1 C:/x.JPG");
        e = Assert.Throws<DatasetFormatException>(() => SopReader.Read(Tree.Root));
        Assert.Equal((2, "path"), (e.Line, e.Field));

        Tree.Write("Ebay_train.txt", "\n", "1 1 1 bicycle_final/a.JPG");
        e = Assert.Throws<DatasetFormatException>(() => SopReader.Read(Tree.Root));
        Assert.Equal((1, "header"), (e.Line, e.Field));

        Tree.Write("Ebay_train.txt", "\n", "image_id class_id super_class_id path", "1 1 1 bicycle_final/a.JPG");
        File.Delete(Path.Combine(Tree.Root, "Ebay_test.txt"));
        e = Assert.Throws<DatasetFormatException>(() => SopReader.Read(Tree.Root));
        Assert.EndsWith("Ebay_test.txt", e.File);
    }

    [Fact]
    public void Unknown_folder_is_a_clear_error()
    {
        var e = Assert.Throws<DatasetFormatException>(() => DatasetLoader.Load(Tree.Root));
        Assert.Contains("list_eval_partition.txt", e.Message);
    }
}
