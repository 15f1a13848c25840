using System.Security.Cryptography;
using Retrieval.Core.IO;

namespace Retrieval.Study.IO;

/// <summary>
/// The study's binary files (feature cache, head weights): an 8-byte magic, the body, then a SHA-256 of magic and
/// body. Written with <see cref="AtomicFile"/>; reading checks magic, length and checksum, and any mismatch is an
/// <see cref="InvalidDataException"/> naming the file and saying how to recover.
/// </summary>
public static class ChecksummedFile
{
    private const int HashSize = 32;

    /// <summary>Writes <paramref name="magic"/> (8 bytes), the body filled by <paramref name="fill"/> (<paramref name="bodyLength"/> bytes) and the checksum.</summary>
    public static void Write(string path, ReadOnlySpan<byte> magic, int bodyLength, SpanAction fill)
    {
        if (magic.Length != 8) throw new ArgumentException("the magic must be 8 bytes", nameof(magic));
        var bytes = new byte[8 + bodyLength + HashSize];
        magic.CopyTo(bytes);
        fill(bytes.AsSpan(8, bodyLength));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashSize), bytes.AsSpan(bytes.Length - HashSize));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The body of <paramref name="path"/> after its magic and checksum were checked; <paramref name="recovery"/> ends the error message.</summary>
    public static byte[] Read(string path, ReadOnlySpan<byte> magic, string recovery)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 + HashSize || !bytes.AsSpan(0, 8).SequenceEqual(magic))
            throw new InvalidDataException($"{path}: not a {System.Text.Encoding.ASCII.GetString(magic)} file (bad magic or too short); {recovery}");
        if (!SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashSize)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashSize)))
            throw new InvalidDataException($"{path}: checksum mismatch (the file is corrupt or truncated); {recovery}");
        return bytes[8..^HashSize];
    }

    public delegate void SpanAction(Span<byte> body);
}
