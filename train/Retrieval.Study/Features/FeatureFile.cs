using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Retrieval.Study.IO;

namespace Retrieval.Study.Features;

/// <summary>
/// The feature cache on disk (<see cref="ChecksummedFile"/> "RSFEAT01"): int32 rows, int32 columns, the 32-byte key
/// the rows were computed for (data set listing + extractor), then float32 rows x columns. A corrupt or mis-sized
/// file is an error naming it; a file for another key reads as absent.
/// </summary>
public static class FeatureFile
{
    private static ReadOnlySpan<byte> Magic => "RSFEAT01"u8;
    private const int HeaderSize = 4 + 4 + 32;
    private const string Recovery = "delete the file to recompute the features";

    /// <summary>Writes <paramref name="rows"/> x <paramref name="columns"/> floats computed for <paramref name="key"/>.</summary>
    public static void Write(string path, byte[] key, float[] data, int rows, int columns)
    {
        if (key.Length != 32) throw new ArgumentException("the key must be 32 bytes (SHA-256)", nameof(key));
        if ((long)rows * columns != data.Length) throw new ArgumentException($"{rows} x {columns} floats expected, got {data.Length}", nameof(data));
        ChecksummedFile.Write(path, Magic, HeaderSize + data.Length * sizeof(float), body =>
        {
            BitConverter.TryWriteBytes(body, rows);
            BitConverter.TryWriteBytes(body[4..], columns);
            key.CopyTo(body[8..]);
            MemoryMarshal.AsBytes(data.AsSpan()).CopyTo(body[HeaderSize..]);
        });
    }

    /// <summary>The floats of <paramref name="path"/>, or null when the file holds rows for another key; corrupt files throw.</summary>
    public static (float[] Data, int Rows, int Columns)? Read(string path, byte[] key)
    {
        var body = ChecksummedFile.Read(path, Magic, Recovery);
        if (body.Length < HeaderSize) throw new InvalidDataException($"{path}: too short for a feature header; {Recovery}");
        var rows = BitConverter.ToInt32(body, 0);
        var columns = BitConverter.ToInt32(body, 4);
        if (rows < 0 || columns < 1 || HeaderSize + (long)rows * columns * sizeof(float) != body.Length)
            throw new InvalidDataException($"{path}: size does not match {rows} x {columns} floats; {Recovery}");
        if (!body.AsSpan(8, 32).SequenceEqual(key)) return null;
        var data = new float[rows * columns];
        body.AsSpan(HeaderSize).CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
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
