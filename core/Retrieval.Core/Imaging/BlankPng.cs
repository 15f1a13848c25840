using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Retrieval.Core.Imaging;

/// <summary>
/// Writes black RGB PNGs of any size without building the pixels: rows of zeros deflate to almost nothing, so a
/// 1x1,000,000 strip or a 40-megapixel image is a few kilobytes — the shape of the images a server must bound cheaply
/// (used by the serving tests and `retrieval-bench abuse`).
/// </summary>
public static class BlankPng
{
    /// <summary>A valid width x height 8-bit RGB PNG, every pixel black.</summary>
    public static byte[] Black(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(output, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[1 + 3L * width]; // filter byte 0 + zeros
                for (int y = 0; y < height; y++) zlib.Write(row);
            }
            Chunk(output, "IDAT", pixels.ToArray());
        }
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, ~Crc(Crc(0xFFFFFFFF, typeBytes), data));
        output.Write(word);
    }

    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: the chunks here are tiny.
    private static uint Crc(uint crc, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc;
    }
}
