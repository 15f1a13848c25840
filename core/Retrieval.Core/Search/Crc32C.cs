using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;

namespace Retrieval.Core.Search;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated with SSE4.2 where available; guards index files.</summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Table = BuildTable();

    /// <summary>Continues a CRC over more bytes; start with 0 and pass the previous result for each chunk.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        int i = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong c64 = c;
            for (; i <= data.Length - 8; i += 8) c64 = Sse42.X64.Crc32(c64, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
            c = (uint)c64;
        }
        for (; i < data.Length; i++) c = Table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
