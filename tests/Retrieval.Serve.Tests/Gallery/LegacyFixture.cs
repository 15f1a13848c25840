using System.Runtime.InteropServices;
using Retrieval.Core.Storage;

namespace Retrieval.Serve.Tests.Gallery;

/// <summary>Writes a gallery file in the old single-file format (RGAL v1), byte for byte as the previous server did.</summary>
internal static class LegacyFixture
{
    public static void Write(string path, string sha, int dimension, IReadOnlyList<VectorItem> items)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(0x4C414752u);
        w.Write(1);
        w.Write(sha);
        w.Write(dimension);
        w.Write(items.Count);
        foreach (var item in items)
        {
            w.Write(item.Id);
            w.Write(item.Metadata.Label);
            w.Write(item.Metadata.ImagePath);
            w.Write(MemoryMarshal.AsBytes(item.Vector.AsSpan()));
        }
        w.Write(0x444E4552u);
    }
}
