using System.Runtime.InteropServices;
using System.Text;
using Retrieval.Core.IO;
using Retrieval.Core.Storage;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The single-file gallery of earlier versions ("RGAL" v1: model hash, dimension, every item with its embedding; no
/// checksum). The server only reads it, to migrate it once into a gallery folder (<c>--migrate-from</c>); the writer
/// remains for the benchmark's baseline (the previous design rewrote this file on every change) and for tests.
/// </summary>
public static class LegacyGalleryFile
{
    private const uint Magic = 0x4C414752; // "RGAL"
    private const uint EndMarker = 0x444E4552; // "REND"

    /// <summary>Writes the whole gallery in the old format (atomically), as the previous server did after every upsert or delete.</summary>
    public static void Write(string path, string modelSha256, int dimension, IReadOnlyCollection<VectorItem> items) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(1);
            w.Write(modelSha256);
            w.Write(dimension);
            w.Write(items.Count);
            foreach (var item in items)
            {
                w.Write(item.Id);
                w.Write(item.Metadata.Label);
                w.Write(item.Metadata.ImagePath);
                w.Write(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
            }
            w.Write(EndMarker);
        });

    /// <summary>Whether <paramref name="path"/> is a file starting with the old format's magic.</summary>
    public static bool IsLegacy(string path)
    {
        if (!File.Exists(path)) return false;
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return stream.Read(head) == 4 && BitConverter.ToUInt32(head) == Magic;
    }

    /// <summary>The model hash and items of an old gallery file; throws InvalidDataException naming the file, the offset and what is wrong.</summary>
    public static (string ModelSha256, int Dimension, List<VectorItem> Items) Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            if (r.ReadUInt32() != Magic) throw Bad(path, 0, "not a gallery file of the old format (bad magic)");
            int version = r.ReadInt32();
            if (version != 1) throw Bad(path, 4, $"old gallery file version {version}, migration reads 1");
            var sha = r.ReadString();
            int dimension = r.ReadInt32();
            int count = r.ReadInt32();
            if (dimension <= 0 || count < 0 || (long)count * dimension * sizeof(float) > stream.Length)
                throw Bad(path, stream.Position, $"bad header (dimension {dimension}, count {count})");
            var items = new List<VectorItem>(count);
            for (int i = 0; i < count; i++)
            {
                long id = r.ReadInt64();
                var label = r.ReadString();
                var imagePath = r.ReadString();
                var embedding = new float[dimension];
                stream.ReadExactly(MemoryMarshal.AsBytes(embedding.AsSpan()));
                items.Add(new VectorItem(id, new ItemMetadata(label, imagePath), embedding));
            }
            if (r.ReadUInt32() != EndMarker) throw Bad(path, stream.Position - 4, "missing end marker (file damaged)");
            if (stream.Position != stream.Length) throw Bad(path, stream.Position, "unexpected bytes after the end marker");
            return (sha, dimension, items);
        }
        catch (EndOfStreamException)
        {
            throw Bad(path, stream.Position, "the file is truncated");
        }
        catch (DecoderFallbackException)
        {
            throw Bad(path, stream.Position, "a text field is not valid UTF-8");
        }
    }

    private static InvalidDataException Bad(string path, long offset, string problem) => new($"{path}: {problem} (at byte offset {offset}).");
}
