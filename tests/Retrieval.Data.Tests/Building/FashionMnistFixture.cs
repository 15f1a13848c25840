using System.Buffers.Binary;
using System.IO.Compression;

namespace Retrieval.Data.Tests.Building;

/// <summary>A miniature Fashion-MNIST download in the original idx format (some files gzipped, as released).</summary>
public static class FashionMnistFixture
{
    public static byte[] Idx(int magic, int[] dims, byte[] body)
    {
        var bytes = new byte[4 + 4 * dims.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        body.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    private static void WriteGz(string folder, string name, byte[] bytes)
    {
        using var file = File.Create(Path.Combine(folder, name + ".gz"));
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        gz.Write(bytes);
    }

    /// <summary>train: 30 images (labels i % 10), t10k: 10 images; 2x2 pixels whose value is the global index.</summary>
    public static void Write(string folder)
    {
        foreach (var (prefix, count, offset, gzip) in new[] { ("train", 30, 0, true), ("t10k", 10, 30, false) })
        {
            byte[] pixels = Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)(offset + i), 4)).ToArray();
            byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
            byte[] images = Idx(0x0803, [count, 2, 2], pixels);
            byte[] labelFile = Idx(0x0801, [count], labels);
            if (gzip)
            {
                WriteGz(folder, $"{prefix}-images-idx3-ubyte", images);
                WriteGz(folder, $"{prefix}-labels-idx1-ubyte", labelFile);
            }
            else
            {
                File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), images);
                File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labelFile);
            }
        }
    }
}
