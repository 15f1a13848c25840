using Retrieval.Core.Data;
using Retrieval.Data.Building;
using Retrieval.Core.Imaging;

namespace Retrieval.Data.Tests.Building;

public sealed class FashionMnistBuilderTests : TempTreeTest
{
    [Fact]
    public void Caps_per_class_splits_by_class_and_alternates_query_gallery()
    {
        FashionMnistFixture.Write(Tree.Root);
        string outDir = Path.Combine(Tree.Root, "out");
        FashionMnistBuilder.Build(Tree.Root, outDir, perClass: 4);
        var ds = InShopReader.Read(outDir);
        Assert.Equal(40, ds.Items.Count);
        Assert.Equal(20, ds.Train.Count);
        Assert.Equal(10, ds.Query.Count);
        Assert.Equal(10, ds.Gallery.Count);
        Assert.All(ds.Train, i => Assert.True(i.Label[0] <= '4'));
        // Class 5 = sandal: train indices 5, 15, 25 then t10k index 5 (global 35); even-numbered are queries.
        var sandal = ds.Items.Where(i => i.Label == "5_sandal").ToList();
        Assert.Equal(["img/5_sandal/00005.png", "img/5_sandal/00015.png", "img/5_sandal/00025.png", "img/5_sandal/00035.png"],
            sandal.Select(i => i.RelativePath));
        Assert.Equal([DatasetSplit.Query, DatasetSplit.Gallery, DatasetSplit.Query, DatasetSplit.Gallery], sandal.Select(i => i.Split));
        var image = ImageDecoder.DecodeFile(ds.AbsolutePath(sandal[3]));
        Assert.Equal((2, 2), (image.Width, image.Height));
        Assert.Equal((35, 35, 35), TestImages.At(image, 1, 1));
    }

    [Fact]
    public void Bad_idx_files_are_reported_with_their_path()
    {
        string path = Path.Combine(Tree.Root, "bad");
        File.WriteAllBytes(path, FashionMnistFixture.Idx(0x0801, [2], [1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        File.WriteAllBytes(path, FashionMnistFixture.Idx(0x0803, [2, 2, 2], [1, 2, 3]));
        e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains("need 24 bytes", e.Message);
        Assert.Throws<FileNotFoundException>(() => FashionMnistBuilder.Build(Tree.Root, Path.Combine(Tree.Root, "out"), 1));
    }
}
