using System.Buffers.Binary;
using System.IO.Compression;

namespace Retrieval.Core.Data;

/// <summary>Reads MNIST-style IDX files (ubyte images 0x00000803, labels 0x00000801), gzip-compressed or not.</summary>
public static class IdxFile
{
    /// <summary>Images as count x rows x cols bytes.</summary>
    public static (int Count, int Rows, int Cols, byte[] Pixels) ReadImages(string path)
    {
        byte[] bytes = ReadAll(path);
        var dims = Header(path, bytes, 0x0803, 3);
        long expected = 16L + (long)dims[0] * dims[1] * dims[2];
        if (bytes.LongLength != expected)
            throw new InvalidDataException($"{path}: {dims[0]}x{dims[1]}x{dims[2]} images need {expected} bytes, file has {bytes.LongLength}");
        return (dims[0], dims[1], dims[2], bytes[16..]);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadAll(path);
        var dims = Header(path, bytes, 0x0801, 1);
        if (bytes.LongLength != 8L + dims[0])
            throw new InvalidDataException($"{path}: {dims[0]} labels need {8L + dims[0]} bytes, file has {bytes.LongLength}");
        return bytes[8..];
    }

    private static int[] Header(string path, byte[] bytes, int magic, int rank)
    {
        if (bytes.Length < 4 + 4 * rank)
            throw new InvalidDataException($"{path}: too short for an IDX header");
        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
            throw new InvalidDataException($"{path}: IDX magic 0x{found:X8}, expected 0x{magic:X8}");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] < 0)
                throw new InvalidDataException($"{path}: negative dimension {dims[i]}");
        }
        return dims;
    }

    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        bool gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        using Stream input = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        input.CopyTo(memory);
        return memory.ToArray();
    }
}
