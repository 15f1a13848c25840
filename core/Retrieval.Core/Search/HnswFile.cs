using System.Runtime.InteropServices;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Core.Search;

/// <summary>
/// The HNSW index file, version 1 (little-endian), fields in this order: magic "RSHNSWIX"; version (int32);
/// file length (int64); dimension, metric, M, efConstruction, default ef (int32); seed (int64); slots, entry
/// label, entry level (int32); metadata (int32 byte count + UTF-8); per slot id (int64), level (int32),
/// deleted (byte); all vectors (float32, slot-major); per slot its layer-0 link list, then its upper-layer
/// lists (each: count int32 + labels int32); CRC-32C of every preceding byte (uint32).
/// Written to a temp file and renamed into place; Load checks length and checksum before parsing.
/// </summary>
internal static class HnswFile
{
    public const int Version = 1;
    private static readonly byte[] Magic = "RSHNSWIX"u8.ToArray();
    private const int LengthOffset = 12;

    public static void Save(HnswIndex index, string path) =>
        AtomicFile.Write(path, fs =>
        {
            index.Freeze((s, used, entry) => WriteBody(fs, index, s, used, entry));
            long length = fs.Length + sizeof(uint);
            fs.Position = LengthOffset;
            fs.Write(BitConverter.GetBytes(length));
            fs.Position = 0;
            uint crc = Checksum(fs, fs.Length);
            fs.Position = fs.Length;
            fs.Write(BitConverter.GetBytes(crc));
        });

    public static HnswIndex Load(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long actual = fs.Length;
        var head = new byte[LengthOffset + sizeof(long)];
        if (actual < head.Length + sizeof(uint)) throw Bad(path, $"truncated: {actual} bytes is shorter than the header");
        fs.ReadExactly(head);
        if (!head.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Bad(path, "not an HNSW index file (bad magic)");
        int version = BitConverter.ToInt32(head, Magic.Length);
        if (version != Version) throw Bad(path, $"unsupported format version {version} (this build reads version {Version})");
        long declared = BitConverter.ToInt64(head, LengthOffset);
        if (actual < declared) throw Bad(path, $"truncated: {actual} bytes, the header says {declared}");
        if (actual != declared) throw Bad(path, $"corrupt: {actual} bytes, the header says {declared}");
        fs.Position = 0;
        uint crc = Checksum(fs, actual - sizeof(uint));
        var stored = new byte[sizeof(uint)];
        fs.ReadExactly(stored);
        if (crc != BitConverter.ToUInt32(stored)) throw Bad(path, "corrupt: checksum mismatch");

        fs.Position = head.Length;
        using var r = new BinaryReader(fs, Encoding.UTF8, leaveOpen: true);
        try
        {
            return ReadBody(r, fs, path);
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "truncated: the data ends early");
        }
    }

    private static void WriteBody(Stream fs, HnswIndex index, HnswStorage s, int used, long entry)
    {
        using var w = new BinaryWriter(fs, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(0L); // file length, patched after the body is written
        w.Write(index.Dimension);
        w.Write((int)index.Metric);
        var o = index.Options;
        w.Write(o.M);
        w.Write(o.EfConstruction);
        w.Write(o.DefaultEf);
        w.Write(o.Seed);
        w.Write(used);
        w.Write(entry < 0 ? -1 : (int)entry);
        w.Write(entry < 0 ? -1 : (int)(entry >> 32));
        byte[] meta = Encoding.UTF8.GetBytes(index.Metadata);
        w.Write(meta.Length);
        w.Write(meta);
        for (int i = 0; i < used; i++)
        {
            bool written = s.Levels[i] >= 0; // a slot reserved by a batch still waiting to insert is saved as deleted
            w.Write(written ? s.Ids[i] : 0L);
            w.Write(Math.Max(s.Levels[i], 0));
            w.Write(written ? s.Deleted[i] : (byte)1);
        }
        w.Write(MemoryMarshal.AsBytes(s.Vectors.AsSpan(0, used * s.Dimension)));
        for (int i = 0; i < used; i++)
        {
            if (s.Levels[i] < 0)
            {
                w.Write(0);
                continue;
            }
            for (int level = 0; level <= s.Levels[i]; level++)
            {
                var links = s.Links(i, level);
                int count = links[0];
                w.Write(count);
                w.Write(MemoryMarshal.AsBytes(links.Slice(1, count)));
            }
        }
        w.Flush();
    }

    private static HnswIndex ReadBody(BinaryReader r, Stream fs, string path)
    {
        int dimension = r.ReadInt32();
        int metric = r.ReadInt32();
        int m = r.ReadInt32();
        int efc = r.ReadInt32();
        int ef = r.ReadInt32();
        long seed = r.ReadInt64();
        int used = r.ReadInt32();
        int entryLabel = r.ReadInt32();
        int entryLevel = r.ReadInt32();
        if (dimension <= 0) throw Bad(path, $"dimension {dimension} is not positive");
        if (!Enum.IsDefined((VectorMetric)metric)) throw Bad(path, $"unknown metric {metric}");
        if (used < 0 || (used == 0) != (entryLabel < 0) || entryLabel >= used) throw Bad(path, $"entry point {entryLabel} does not fit {used} slots");
        if ((long)used * dimension * sizeof(float) > fs.Length) throw Bad(path, $"{used} slots of {dimension} floats do not fit the file");
        HnswOptions options;
        try
        {
            options = new HnswOptions(m, efc, ef, seed, Math.Max(used, 1));
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw Bad(path, e.Message);
        }
        var index = new HnswIndex(dimension, (VectorMetric)metric, options);
        int metaLength = r.ReadInt32();
        if (metaLength < 0 || metaLength > fs.Length) throw Bad(path, $"metadata length {metaLength} is invalid");
        index.Metadata = Encoding.UTF8.GetString(r.ReadBytes(metaLength));

        var s = new HnswStorage(Math.Max(used, 1), dimension, m);
        for (int i = 0; i < used; i++)
        {
            s.Ids[i] = r.ReadInt64();
            s.Levels[i] = r.ReadInt32();
            s.Deleted[i] = r.ReadByte();
            if (s.Levels[i] is < 0 or > 64) throw Bad(path, $"slot {i} has level {s.Levels[i]}");
            if (s.Deleted[i] > 1) throw Bad(path, $"slot {i} has deleted mark {s.Deleted[i]}");
            if (s.Levels[i] > 0) s.Upper[i] = new int[s.Levels[i] * s.UpperStride];
        }
        if (entryLabel >= 0 && s.Levels[entryLabel] != entryLevel) throw Bad(path, $"entry level {entryLevel} differs from slot {entryLabel}'s level");
        fs.ReadExactly(MemoryMarshal.AsBytes(s.Vectors.AsSpan(0, used * dimension)));
        for (int i = 0; i < used; i++)
        {
            for (int level = 0; level <= s.Levels[i]; level++)
            {
                var links = s.Links(i, level);
                int count = r.ReadInt32();
                if (count < 0 || count > links.Length - 1) throw Bad(path, $"slot {i} layer {level} has {count} links (at most {links.Length - 1})");
                fs.ReadExactly(MemoryMarshal.AsBytes(links.Slice(1, count)));
                foreach (int n in links.Slice(1, count))
                    if (n < 0 || n >= used || s.Levels[n] < level) throw Bad(path, $"slot {i} layer {level} links to invalid slot {n}");
                links[0] = count;
            }
        }
        if (fs.Position != fs.Length - sizeof(uint)) throw Bad(path, $"{fs.Length - sizeof(uint) - fs.Position} unexpected bytes before the checksum");
        try
        {
            index.Restore(s, used, entryLabel < 0 ? -1 : ((long)entryLevel << 32) | (uint)entryLabel);
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, e.Message);
        }
        return index;
    }

    private static uint Checksum(Stream fs, long length)
    {
        var buffer = new byte[1 << 20];
        uint crc = 0;
        while (length > 0)
        {
            int n = fs.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n == 0) throw new EndOfStreamException();
            crc = Crc32C.Append(crc, buffer.AsSpan(0, n));
            length -= n;
        }
        return crc;
    }

    private static InvalidDataException Bad(string path, string problem) => new($"HNSW index file '{path}': {problem}.");
}
