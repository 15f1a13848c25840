using System.Runtime.InteropServices;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Serve.Gallery;

/// <summary>
/// The persisted gallery: model identity, embedding size and every item (id, label, path, embedding), in a versioned
/// little-endian binary file written atomically (temp file, flush, rename). The ANN index is rebuilt from it at load.
/// </summary>
public static class GalleryFile
{
    private const uint Magic = 0x4C414752; // "RGAL"
    private const uint EndMarker = 0x444E4552; // "REND"
    private const int Version = 1;

    /// <summary>Writes the gallery to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, string modelSha256, int dimension, IReadOnlyCollection<GalleryItem> items)
    {
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Version);
            w.Write(modelSha256);
            w.Write(dimension);
            w.Write(items.Count);
            foreach (var item in items)
            {
                w.Write(item.Id);
                w.Write(item.Label);
                w.Write(item.ImagePath);
                w.Write(MemoryMarshal.AsBytes(item.Embedding.AsSpan()));
            }
            w.Write(EndMarker);
            w.Flush();
        });
    }

    /// <summary>Reads a gallery file; throws InvalidDataException naming the file and what is wrong.</summary>
    public static (string ModelSha256, int Dimension, List<GalleryItem> Items) Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (r.ReadUInt32() != Magic) throw new InvalidDataException($"{path}: not a gallery index file (bad magic).");
            int version = r.ReadInt32();
            if (version != Version) throw new InvalidDataException($"{path}: gallery file version {version}, this server reads {Version}.");
            var sha = r.ReadString();
            int dimension = r.ReadInt32();
            int count = r.ReadInt32();
            if (dimension <= 0 || count < 0) throw new InvalidDataException($"{path}: bad header (dimension {dimension}, count {count}).");
            var items = new List<GalleryItem>(count);
            for (int i = 0; i < count; i++)
            {
                long id = r.ReadInt64();
                var label = r.ReadString();
                var imagePath = r.ReadString();
                var embedding = new float[dimension];
                if (r.Read(MemoryMarshal.AsBytes(embedding.AsSpan())) != dimension * sizeof(float))
                    throw new EndOfStreamException();
                items.Add(new GalleryItem(id, label, imagePath, embedding));
            }
            if (r.ReadUInt32() != EndMarker) throw new InvalidDataException($"{path}: missing end marker (file damaged).");
            return (sha, dimension, items);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: file is truncated.");
        }
    }
}
