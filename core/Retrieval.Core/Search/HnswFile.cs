using System.Runtime.InteropServices;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Core.Search;

/// <summary>
/// The HNSW index file, version 2 (little-endian), fields in this order: magic "RSHNSWIX"; version (int32);
/// file length (int64); dimension, metric, M, efConstruction, default ef (int32); seed (int64); storage (int32);
/// slots, entry slot, entry level (int32); metadata (int32 byte count + UTF-8); the stored order of the dimensions
/// (int32 count: 0 = the caller's order, or the dimension followed by that many int32); per slot id (int64), level (byte),
/// state (byte: 0 unused, 2 live, 3 deleted); zero padding to a multiple of 64; the stored vectors (slot-major,
/// encoded as the storage says); for quantised storage, zero padding to 64 and the full-precision vectors (float32,
/// slot-major: an index loaded with mapped vectors reads them in place); per used slot its layer-0 list, then its
/// upper-layer lists (each: count int32 + slots int32); CRC-32C of every preceding byte (uint32).
/// Written to a temp file and renamed into place (<see cref="AtomicFile"/>); Load checks length and checksum before
/// parsing. Version 1 files (float32 only, written before slot reuse) are still read.
/// </summary>
internal static class HnswFile
{
    public const int Version = 2;
    private static readonly byte[] Magic = "RSHNSWIX"u8.ToArray();
    private const int LengthOffset = 12;

    public static unsafe void Save(HnswIndex index, string path) =>
        AtomicFile.Write(path, fs =>
        {
            var buffered = new BufferedStream(fs, 1 << 20); // not disposed: that would close fs
            index.Freeze((used, entry) => WriteBody(buffered, index, used, entry));
            buffered.Flush();
            long length = fs.Length + sizeof(uint);
            fs.Position = LengthOffset;
            fs.Write(BitConverter.GetBytes(length));
            fs.Position = 0;
            uint crc = Checksum(fs, fs.Length);
            fs.Position = fs.Length;
            fs.Write(BitConverter.GetBytes(crc));
        });

    public static HnswIndex Load(string path, bool mapFullVectors)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long actual = fs.Length;
        var head = new byte[LengthOffset + sizeof(long)];
        if (actual < head.Length + sizeof(uint)) throw Bad(path, $"truncated: {actual} bytes is shorter than the header");
        fs.ReadExactly(head);
        if (!head.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Bad(path, "not an HNSW index file (bad magic)");
        int version = BitConverter.ToInt32(head, Magic.Length);
        if (version is not (1 or Version))
            throw Bad(path, $"unsupported format version {version} (this build reads versions 1 and {Version}); rebuild the index from its vectors with this build, or load it with the build that wrote it");
        long declared = BitConverter.ToInt64(head, LengthOffset);
        if (actual < declared) throw Bad(path, $"truncated: {actual} bytes, the header says {declared}");
        if (actual != declared) throw Bad(path, $"corrupt: {actual} bytes, the header says {declared}");
        fs.Position = 0;
        uint crc = Checksum(fs, actual - sizeof(uint));
        var stored = new byte[sizeof(uint)];
        fs.ReadExactly(stored);
        if (crc != BitConverter.ToUInt32(stored)) throw Bad(path, "corrupt: checksum mismatch");

        fs.Position = head.Length;
        using var buffered = new BufferedStream(fs, 1 << 20);
        using var r = new BinaryReader(buffered, Encoding.UTF8, leaveOpen: true);
        try
        {
            return ReadBody(r, buffered, path, version, actual, mapFullVectors);
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, "truncated: the data ends early");
        }
        catch (ArgumentException e)
        {
            throw Bad(path, e.Message);
        }
    }

    private static unsafe void WriteBody(Stream s, HnswIndex index, int used, long entry)
    {
        var nodes = index.Nodes;
        var g = nodes.Current;
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
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
        w.Write((int)o.Storage);
        w.Write(used);
        w.Write(entry < 0 ? -1 : (int)entry);
        w.Write(entry < 0 ? -1 : (int)(entry >> 32));
        byte[] meta = Encoding.UTF8.GetBytes(index.Metadata);
        w.Write(meta.Length);
        w.Write(meta);
        var order = index.DimensionOrder;
        w.Write(order?.Length ?? 0);
        if (order is not null) w.Write(MemoryMarshal.AsBytes(order.AsSpan()));
        for (int slot = 0; slot < used; slot++)
        {
            byte* node = nodes.Node(g, slot);
            byte state = *nodes.State(node); // never Pending: inserts are held off meanwhile
            w.Write(state == HnswNodes.Unused ? 0L : *nodes.Id(node));
            w.Write(state == HnswNodes.Unused ? (byte)0 : *nodes.Level(node));
            w.Write(state);
        }
        Pad(w, 64);
        for (int slot = 0; slot < used; slot++) w.Write(new ReadOnlySpan<byte>(nodes.Node(g, slot), nodes.VectorBytes));
        if (index.Raw is { } raw)
        {
            Pad(w, 64);
            for (int slot = 0; slot < used; slot++)
                w.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<float>(raw.Get(slot), index.Dimension)));
        }
        for (int slot = 0; slot < used; slot++)
        {
            byte* node = nodes.Node(g, slot);
            if (*nodes.State(node) == HnswNodes.Unused) continue;
            for (int level = 0; level <= *nodes.Level(node); level++)
            {
                int* list = nodes.List(g, slot, level);
                w.Write(list[0]);
                w.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(list + 1, list[0])));
            }
        }
        w.Flush();
    }

    private static unsafe HnswIndex ReadBody(BinaryReader r, Stream s, string path, int version, long length, bool mapFullVectors)
    {
        int dimension = r.ReadInt32();
        int metric = r.ReadInt32();
        int m = r.ReadInt32();
        int efc = r.ReadInt32();
        int ef = r.ReadInt32();
        long seed = r.ReadInt64();
        var storage = version == 1 ? VectorStorage.Float32 : (VectorStorage)r.ReadInt32();
        int used = r.ReadInt32();
        int entrySlot = r.ReadInt32();
        int entryLevel = r.ReadInt32();
        if (dimension <= 0) throw Bad(path, $"dimension {dimension} is not positive");
        if (!Enum.IsDefined((VectorMetric)metric)) throw Bad(path, $"unknown metric {metric}");
        if (used < 0 || (used == 0) != (entrySlot < 0) || entrySlot >= used) throw Bad(path, $"entry point {entrySlot} does not fit {used} slots");
        if ((long)used * dimension > length) throw Bad(path, $"{used} slots of {dimension} values do not fit the file");
        var options = new HnswOptions(m, efc, ef, seed, Math.Max(used, 1), Storage: storage);
        options.Validate();
        var index = new HnswIndex(dimension, (VectorMetric)metric, options);
        int metaLength = r.ReadInt32();
        if (metaLength < 0 || metaLength > length) throw Bad(path, $"metadata length {metaLength} is invalid");
        index.Metadata = Encoding.UTF8.GetString(r.ReadBytes(metaLength));
        int orderLength = version == 1 ? 0 : r.ReadInt32();
        if (orderLength != 0)
        {
            if (orderLength != dimension) throw Bad(path, $"dimension order has {orderLength} entries, not {dimension}");
            var order = new int[dimension];
            s.ReadExactly(MemoryMarshal.AsBytes(order.AsSpan()));
            if (!HnswDimensionOrder.IsPermutation(order, dimension)) throw Bad(path, "the dimension order is not a permutation");
            index.DimensionOrder = order;
        }

        index.PrepareForLoad(Math.Max(used, 1));
        var nodes = index.Nodes;
        var g = nodes.Current;
        long position = LengthOffset + sizeof(long) + (version == 1 ? 28 : 32) + 12 + sizeof(int) + metaLength
            + (version == 1 ? 0 : sizeof(int) * (1L + orderLength));
        for (int slot = 0; slot < used; slot++)
        {
            byte* node = nodes.Node(g, slot);
            *nodes.Id(node) = r.ReadInt64();
            int level = version == 1 ? r.ReadInt32() : r.ReadByte();
            byte state = r.ReadByte();
            if (version == 1) state = state switch { 0 => HnswNodes.Live, 1 => HnswNodes.Deleted, _ => 255 };
            if (level is < 0 or > 63) throw Bad(path, $"slot {slot} has level {level}");
            if (state is not (HnswNodes.Unused or HnswNodes.Live or HnswNodes.Deleted)) throw Bad(path, $"slot {slot} has an unknown state");
            *nodes.Level(node) = (byte)level;
            *nodes.State(node) = state;
            if (state != HnswNodes.Unused) nodes.SetLevel(g, slot, level);
        }
        position += (long)used * (version == 1 ? 13 : 10);
        if (entrySlot >= 0 && (*nodes.Level(nodes.Node(g, entrySlot)) != entryLevel || *nodes.State(nodes.Node(g, entrySlot)) == HnswNodes.Unused))
            throw Bad(path, $"entry level {entryLevel} differs from slot {entrySlot}'s level");
        if (version > 1) position = Skip(r, position, 64);
        for (int slot = 0; slot < used; slot++) s.ReadExactly(new Span<byte>(nodes.Node(g, slot), nodes.VectorBytes));
        position += (long)used * nodes.VectorBytes;
        if (index.Raw is { } raw)
        {
            position = Skip(r, position, 64);
            if (mapFullVectors)
            {
                raw.Map(path, position, used);
                s.Seek((long)used * dimension * sizeof(float), SeekOrigin.Current);
            }
            else
            {
                var row = new float[dimension];
                for (int slot = 0; slot < used; slot++)
                {
                    s.ReadExactly(MemoryMarshal.AsBytes(row.AsSpan()));
                    raw.Set(slot, row);
                }
            }
        }
        for (int slot = 0; slot < used; slot++)
        {
            byte* node = nodes.Node(g, slot);
            if (*nodes.State(node) == HnswNodes.Unused) continue;
            for (int level = 0; level <= *nodes.Level(node); level++)
            {
                int* list = nodes.List(g, slot, level);
                int max = level == 0 ? 2 * m : m;
                int count = r.ReadInt32();
                if (count < 0 || count > max) throw Bad(path, $"slot {slot} layer {level} has {count} links (at most {max})");
                s.ReadExactly(MemoryMarshal.AsBytes(new Span<int>(list + 1, count)));
                for (int i = 1; i <= count; i++)
                {
                    int n = list[i];
                    if (n < 0 || n >= used || *nodes.State(nodes.Node(g, n)) == HnswNodes.Unused || *nodes.Level(nodes.Node(g, n)) < level)
                        throw Bad(path, $"slot {slot} layer {level} links to invalid slot {n}");
                }
                list[0] = count;
            }
        }
        if (s.Position != length - sizeof(uint)) throw Bad(path, $"{length - sizeof(uint) - s.Position} unexpected bytes before the checksum");
        try
        {
            index.Restore(used, entrySlot < 0 ? -1 : ((long)entryLevel << 32) | (uint)entrySlot);
        }
        catch (InvalidDataException e)
        {
            throw Bad(path, e.Message);
        }
        return index;
    }

    private static void Pad(BinaryWriter w, int alignment)
    {
        w.Flush();
        long position = w.BaseStream.Position;
        int pad = (int)((alignment - position % alignment) % alignment);
        w.Write(new byte[pad]);
    }

    private static long Skip(BinaryReader r, long position, int alignment)
    {
        int pad = (int)((alignment - position % alignment) % alignment);
        r.ReadBytes(pad);
        return position + pad;
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
