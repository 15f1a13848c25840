using System.Text;

namespace Retrieval.Core.Storage;

/// <summary>
/// The item metadata of a snapshot, <c>snapshot-{sequence}.items</c>, little-endian: magic "RSITEMS1", version
/// (int32), sequence (int64); per item a 1 byte, its id (int64) and metadata (<see cref="MetadataCodec"/>); a 0 byte,
/// the item count (int64); CRC-32C of every preceding byte. Written with <see cref="IO.AtomicFile"/>; read only
/// after the checksum matches.
/// </summary>
internal static class ItemsFile
{
    private const int Version = 1;
    private static readonly byte[] Magic = "RSITEMS1"u8.ToArray();

    public static void Write(string path, long sequence, IEnumerable<KeyValuePair<long, ItemMetadata>> items) =>
        IO.AtomicFile.Write(path, stream =>
        {
            var crc = new CrcWriteStream(stream);
            using (var buffered = new BufferedStream(crc, 1 << 16))
            using (var w = new BinaryWriter(buffered, MetadataCodec.Utf8, leaveOpen: true))
            {
                w.Write(Magic);
                w.Write(Version);
                w.Write(sequence);
                long count = 0;
                foreach (var (id, metadata) in items)
                {
                    w.Write((byte)1);
                    w.Write(id);
                    MetadataCodec.Write(w, metadata);
                    count++;
                }
                w.Write((byte)0);
                w.Write(count);
            }
            stream.Write(BitConverter.GetBytes(crc.Crc));
        });

    /// <summary>Reads the items, calling <paramref name="add"/> for each; returns the sequence the file was written at.</summary>
    public static long Read(string path, Action<long, ItemMetadata> add)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length = fs.Length;
        const int header = 8 + 4 + 8;
        if (length < header + 1 + 8 + 4) throw new StorageCorruptException(path, 0, $"{length} bytes is too short for an item snapshot");
        uint crc = CrcWriteStream.Of(fs, length - 4);
        var stored = new byte[4];
        fs.ReadExactly(stored);
        if (crc != BitConverter.ToUInt32(stored)) throw new StorageCorruptException(path, length - 4, "checksum mismatch (the file is damaged)");
        fs.Position = 0;
        using var r = new BinaryReader(fs, MetadataCodec.Utf8, leaveOpen: true);
        try
        {
            if (!r.ReadBytes(8).AsSpan().SequenceEqual(Magic)) throw new StorageCorruptException(path, 0, "not an item snapshot (bad magic)");
            int version = r.ReadInt32();
            if (version != Version) throw new StorageCorruptException(path, 8, $"item snapshot version {version}, this build reads {Version}");
            long sequence = r.ReadInt64();
            long count = 0;
            while (true)
            {
                long at = fs.Position;
                byte marker = r.ReadByte();
                if (marker == 0) break;
                if (marker != 1) throw new StorageCorruptException(path, at, $"bad item marker {marker}");
                long id = r.ReadInt64();
                add(id, MetadataCodec.Read(r));
                count++;
            }
            long declared = r.ReadInt64();
            if (declared != count) throw new StorageCorruptException(path, fs.Position - 8, $"the file says {declared} items, it holds {count}");
            if (fs.Position != length - 4) throw new StorageCorruptException(path, fs.Position, "unexpected bytes before the checksum");
            return sequence;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or DecoderFallbackException)
        {
            throw new StorageCorruptException(path, fs.Position, e is EndOfStreamException ? "the data ends early" : e.Message);
        }
    }
}
