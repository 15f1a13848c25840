using System.Buffers.Binary;
using System.IO.Compression;
using Retrieval.Core.Data;
using Retrieval.Data.Building;
using Retrieval.Core.Imaging;

namespace Retrieval.Data.Tests.Building;

public sealed class FashionMnistBuilderTests : TempTreeTest
{
    private static byte[] Idx(int magic, int[] dims, byte[] body)
    {
        var bytes = new byte[4 + 4 * dims.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        body.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private void WriteGz(string name, byte[] bytes)
    {
        using var file = File.Create(Path.Combine(Tree.Root, name + ".gz"));
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    /// <summary>train: 30 images (labels i % 10), t10k: 10 images; 2x2 pixels whose value is the global index.</summary>
    private void WriteFixture()
    {
        foreach (var (prefix, count, offset, gzip) in new[] { ("train", 30, 0, true), ("t10k", 10, 30, false) })
        {
            byte[] pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)(offset + i), 4)).ToArray();
            byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            byte[] images = Idx(0x0803, [count, 2, 2], pixels);
            byte[] labelFile = Idx(0x0801, [count], labels);
            if (gzip)
            {
                WriteGz($"{prefix}-images-idx3-ubyte", images);
                WriteGz($"{prefix}-labels-idx1-ubyte", labelFile);
            }
            else
            {
                File.WriteAllBytes(Path.Combine(Tree.Root, $"{prefix}-images-idx3-ubyte"), images);
                File.WriteAllBytes(Path.Combine(Tree.Root, $"{prefix}-labels-idx1-ubyte"), labelFile);
            }
        }
    }

    [Fact]
    public void Caps_per_class_splits_by_class_and_alternates_query_gallery()
    {
        WriteFixture();
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
        File.WriteAllBytes(path, Idx(0x0801, [2], [1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        File.WriteAllBytes(path, Idx(0x0803, [2, 2, 2], [1, 2, 3]));
        e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains("need 24 bytes", e.Message);
        Assert.Throws<FileNotFoundException>(() => FashionMnistBuilder.Build(Tree.Root, Path.Combine(Tree.Root, "out"), 1));
    }
}
