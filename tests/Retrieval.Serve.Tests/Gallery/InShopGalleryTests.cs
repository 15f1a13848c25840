using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Retrieval.Core.Data;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
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
    public void RelativePathsResolveUnderTheReleaseImgFolder()
    {
        Directory.CreateDirectory(Path.Combine(_root, "Img"));
        Assert.Equal(Path.Combine(_root, "Img", "img", "a.jpg"), InShopGallery.Resolve(_root, "img/a.jpg"));
        Assert.Equal("/abs/a.jpg", InShopGallery.Resolve(_root, "/abs/a.jpg"));
    }

    [Fact]
    public async Task BadListingStopsStartupWithFileLineAndField()
    {
        File.WriteAllText(Path.Combine(_root, "list_eval_partition.txt"), "1\nimage_name item_id evaluation_status\na.png 1 test\n");
        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => Engine().StartAsync(CancellationToken.None));
        Assert.Contains("list_eval_partition.txt:3", e.Message);
        Assert.Contains("evaluation_status", e.Message);
    }

    [Fact]
    public async Task RowCountMismatchStopsStartupNamingLineOne()
    {
        File.WriteAllText(Path.Combine(_root, "list_eval_partition.txt"), "3\nimage_name item_id evaluation_status\na.png 1 gallery\n");
        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => Engine().StartAsync(CancellationToken.None));
        Assert.Contains("list_eval_partition.txt:1", e.Message);
        Assert.Contains("says 3 rows but the file has 1", e.Message);
    }

    [Fact]
    public async Task MissingListingStopsStartupSayingWhereItLooked()
    {
        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => Engine().StartAsync(CancellationToken.None));
        Assert.Contains(_root, e.Message);
    }

    private RetrievalEngine Engine()
    {
        var options = new ServerOptions
        {
            Model = FakeModelLoader.Write(Path.Combine(_root, "model.onnx"), 1),
            Data = _root,
            Index = Path.Combine(_root, "gallery.idx"),
        };
        return new RetrievalEngine(Options.Create(options), new FakeModelLoader(4), new ExactIndexFactory(), new ServingMetrics(),
            NullLogger<RetrievalEngine>.Instance);
    }
}
