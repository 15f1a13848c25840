using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Tests.Gallery;

public sealed class InShopGalleryListingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("listing").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ReadsGalleryRowsOfTheReleaseFormatWithCrlfAndPadding()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Eval"));
        File.WriteAllText(Path.Combine(_root, "Eval", "list_eval_partition.txt"),
            "4\r\nimage_name item_id evaluation_status\r\n" +
            "img/WOMEN/Dresses/id_00000002/02_1_front.jpg   id_00000002 train  \r\n" +
            "img/WOMEN/Dresses/id_00000003/01_1_front.jpg   id_00000003 query\r\n" +
            "img/WOMEN/Dresses/id_00000003/02_1_front.jpg   id_00000003 gallery\r\n" +
            "img/MEN/Shirts/id_00000009/01_2_side.jpg       id_00000009 gallery   \r\n");

        var rows = InShopGalleryListing.Read(_root);

        Assert.Equal([
            new GallerySource(0, "id_00000003", "img/WOMEN/Dresses/id_00000003/02_1_front.jpg"),
            new GallerySource(1, "id_00000009", "img/MEN/Shirts/id_00000009/01_2_side.jpg")], rows);
    }

    [Fact]
    public void RowCountMismatchNamesFileAndLine()
    {
        File.WriteAllText(Path.Combine(_root, "list_eval_partition.txt"), "3\nimage_name item_id evaluation_status\na.png 1 gallery\n");
        var e = Assert.Throws<InvalidDataException>(() => InShopGalleryListing.Read(_root));
        Assert.Contains("list_eval_partition.txt:1", e.Message);
        Assert.Contains("declares 3 rows, found 1", e.Message);
    }

    [Fact]
    public void BadStatusNamesTheLine()
    {
        File.WriteAllText(Path.Combine(_root, "list_eval_partition.txt"), "1\nimage_name item_id evaluation_status\na.png 1 test\n");
        var e = Assert.Throws<InvalidDataException>(() => InShopGalleryListing.Read(_root));
        Assert.Contains("list_eval_partition.txt:3", e.Message);
    }

    [Fact]
    public void MissingListingSaysWhereItLooked() =>
        Assert.Contains(_root, Assert.Throws<FileNotFoundException>(() => InShopGalleryListing.Read(_root)).Message);
}
