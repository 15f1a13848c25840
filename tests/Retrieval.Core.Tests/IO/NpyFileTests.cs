using System.Text;
using Retrieval.Core.IO;

using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.IO;

public sealed class NpyFileTests : TempTreeTest
{
    [Fact]
    public void Float32RoundTripsWithA64ByteAlignedNumpyHeader()
    {
        string path = Path.Combine(Tree.Root, "m.npy");
        float[] values = [1.5f, -2f, 0f, 3.25f, 7f, 8f];
        NpyFile.Write(path, values, 2, 3);

        var bytes = File.ReadAllBytes(path);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Contains("'shape': (2, 3)", Encoding.ASCII.GetString(bytes, 10, headerLength));
        Assert.Equal(10 + headerLength + values.Length * 4, bytes.Length);

        var (data, rows, cols) = NpyFile.ReadFloat32(path);
        Assert.Equal((2, 3), (rows, cols));
        Assert.Equal(values, data);
        Assert.Single(Directory.GetFiles(Tree.Root));
    }

    [Fact]
    public void TruncatedAndForeignFilesAreRefusedByName()
    {
        string path = Path.Combine(Tree.Root, "m.npy");
        NpyFile.Write(path, new float[12], 3, 4);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^5]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32(path)).Message);
        NpyFile.Write(path, new long[4], 2, 2);
        Assert.Contains("float32", Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32(path)).Message);
        File.WriteAllText(path, "not numpy");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => NpyFile.ReadFloat32(path)).Message);
    }

    [Fact]
    public void ShapeThatDoesNotMatchTheValuesIsRejected() =>
        Assert.Throws<ArgumentException>(() => NpyFile.Write(Path.Combine(Tree.Root, "x.npy"), new float[5], 2, 3));
}
