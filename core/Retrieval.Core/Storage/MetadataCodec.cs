using System.Text;

namespace Retrieval.Core.Storage;

/// <summary>The binary form of <see cref="ItemMetadata"/> shared by the log and the item snapshot: label, image path, attribute count, key/value pairs (length-prefixed UTF-8).</summary>
internal static class MetadataCodec
{
    public static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    public static void Write(BinaryWriter w, ItemMetadata m)
    {
        w.Write(m.Label);
        w.Write(m.ImagePath);
        w.Write7BitEncodedInt(m.Attributes.Count);
        foreach (var (key, value) in m.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            w.Write(key);
            w.Write(value);
        }
    }

    public static ItemMetadata Read(BinaryReader r)
    {
        var label = r.ReadString();
        var path = r.ReadString();
        int count = r.Read7BitEncodedInt();
        if (count < 0) throw new InvalidDataException($"negative attribute count {count}");
        if (count == 0) return new ItemMetadata(label, path);
        var attributes = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var key = r.ReadString();
            if (!attributes.TryAdd(key, r.ReadString())) throw new InvalidDataException($"attribute '{key}' appears twice");
        }
        return new ItemMetadata(label, path, attributes);
    }
}
