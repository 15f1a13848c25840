using Retrieval.Core.Data;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Gallery;

public sealed class InShopGalleryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("listing").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GalleryRowsGetSequentialIdsAndKeepTheirListedPaths()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Eval"));
        File.WriteAllText(Path.Combine(_root, "Eval", "list_eval_partition.txt"),
            "4\r\nimage_name item_id evaluation_status\r\n" +
            "img/WOMEN/Dresses/id_00000002/02_1_front.jpg   id_00000002 train  \r\n" +
            "img/WOMEN/Dresses/id_00000003/01_1_front.jpg   id_00000003 query\r\n" +
            "img/WOMEN/Dresses/id_00000003/02_1_front.jpg   id_00000003 gallery\r\n" +
            "img/MEN/Shirts/id_00000009/01_2_side.jpg       id_00000009 gallery   \r\n");

        var rows = InShopGallery.Read(_root);

        Assert.Equal([
            new GallerySource(0, "id_00000003", "img/WOMEN/Dresses/id_00000003/02_1_front.jpg"),
            new GallerySource(1, "id_00000009", "img/MEN/Shirts/id_00000009/01_2_side.jpg")], rows);
    }

    [Fact]
    public void StanfordOnlineProductsFromItsParentFolderServesItsTestSplit()
    {
        string sop = Path.Combine(_root, "Stanford_Online_Products");
        Directory.CreateDirectory(sop);
        File.WriteAllText(Path.Combine(sop, "Ebay_train.txt"), "image_id class_id super_class_id path\n1 1 1 bicycle_final/a_0.JPG\n");
        File.WriteAllText(Path.Combine(sop, "Ebay_test.txt"), "image_id class_id super_class_id path\n1 11319 1 chair_final/b_0.JPG\n2 11320 1 chair_final/c_0.JPG\n");

        Assert.Equal([new GallerySource(0, "11319", "chair_final/b_0.JPG"), new GallerySource(1, "11320", "chair_final/c_0.JPG")],
            InShopGallery.Read(_root));
        Assert.Equal(Path.Combine(sop, "chair_final", "b_0.JPG"), InShopGallery.Resolve(_root, "chair_final/b_0.JPG", out _));
    }

    [Fact]
    public void RelativePathsResolveUnderTheReleaseImgFolderAndNothingElseResolves()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Img"));
        Assert.Equal(Path.Combine(_root, "Img", "img", "a.jpg"), InShopGallery.Resolve(_root, "img/a.jpg", out _));
        Assert.Null(InShopGallery.Resolve(_root, "/abs/a.jpg", out var absolute));
        Assert.Contains("absolute", absolute);
        Assert.Null(InShopGallery.Resolve(_root, "img/../../a.jpg", out var parent));
        Assert.Contains("'..'", parent);
        Assert.Null(InShopGallery.Resolve(_root, "img/a\0.jpg", out var nul));
        Assert.Contains("NUL", nul);
        Assert.Null(InShopGallery.Resolve(null, "img/a.jpg", out var noRoot));
        Assert.Contains("no data root", noRoot);
    }

    [Theory]
    [InlineData("1\nimage_name item_id evaluation_status\na.png 1 test\n", "list_eval_partition.txt:3", "evaluation_status")]
    [InlineData("3\nimage_name item_id evaluation_status\na.png 1 gallery\n", "list_eval_partition.txt:1", "says 3 rows but the file has 1")]
    public async Task BadListingStopsStartupWithFileLineAndField(string listing, string where, string what)
    {
        File.WriteAllText(Path.Combine(_root, "list_eval_partition.txt"), listing);
        var e = await Assert.ThrowsAsync<DatasetFormatException>(StartAsync);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public async Task MissingListingStopsStartupSayingWhereItLooked()
    {
        var e = await Assert.ThrowsAsync<DatasetFormatException>(StartAsync);
        Assert.Contains(_root, e.Message);
    }

    private Task StartAsync() => TestEngine.Create(_root, 4, _root).StartAsync(CancellationToken.None);
}
