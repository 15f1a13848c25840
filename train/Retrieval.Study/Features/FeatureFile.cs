using System.Security.Cryptography;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Study.Features;

/// <summary>
/// The feature cache on disk: "RSFEAT01", int32 rows, int32 columns, the 32-byte key the rows were computed for
/// (data set listing + extractor), float32 rows x columns, then a SHA-256 of everything before it. Written with
/// <see cref="AtomicFile"/>; a file that is short, mis-sized or fails its checksum is an error naming it.
/// </summary>
public static class FeatureFile
{
    private static readonly byte[] Magic = "RSFEAT01"u8.ToArray();
    private const int HeaderSize = 8 + 4 + 4 + 32;

    /// <summary>Writes <paramref name="rows"/> x <paramref name="columns"/> floats computed for <paramref name="key"/>.</summary>
    public static void Write(string path, byte[] key, float[] data, int rows, int columns)
    {
        if (key.Length != 32) throw new ArgumentException("the key must be 32 bytes (SHA-256)", nameof(key));
        if ((long)rows * columns != data.Length) throw new ArgumentException($"{rows} x {columns} floats expected, got {data.Length}", nameof(data));
        var bytes = new byte[HeaderSize + data.Length * sizeof(float) + 32];
        Magic.CopyTo(bytes, 0);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), rows);
        BitConverter.TryWriteBytes(bytes.AsSpan(12), columns);
        key.CopyTo(bytes, 16);
        Buffer.BlockCopy(data, 0, bytes, HeaderSize, data.Length * sizeof(float));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The floats of <paramref name="path"/>, or null when the file holds rows for another key; corrupt files throw.</summary>
    public static (float[] Data, int Rows, int Columns)? Read(string path, byte[] key)
    {
        var bytes = File.ReadAllBytes(path);
        string Bad(string why) => $"{path}: {why}; delete the file to recompute the features";
        if (bytes.Length < HeaderSize + 32 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException(Bad("not a feature cache file (bad magic or too short)"));
        var rows = BitConverter.ToInt32(bytes, 8);
        var columns = BitConverter.ToInt32(bytes, 12);
        if (rows < 0 || columns < 1 || (long)HeaderSize + (long)rows * columns * sizeof(float) + 32 != bytes.Length)
            throw new InvalidDataException(Bad($"size {bytes.Length} does not match {rows} x {columns} floats"));
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new InvalidDataException(Bad("checksum mismatch (the file is corrupt)"));
        if (!bytes.AsSpan(16, 32).SequenceEqual(key)) return null;
        var data = new float[rows * columns];
        Buffer.BlockCopy(bytes, HeaderSize, data, 0, data.Length * sizeof(float));
        return (data, rows, columns);
    }

    /// <summary>SHA-256 of the given lines (UTF-8, newline-terminated): the key of a listing.</summary>
    public static byte[] KeyOf(IEnumerable<string> lines)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines) hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return hash.GetHashAndReset();
    }
}
