namespace Retrieval.Core.Storage;

/// <summary>
/// Shares one string instance per distinct value (labels and attribute values repeat across items: a million items
/// of a thousand classes keep a thousand label strings), and one metadata object per label for items that have
/// nothing else (no image path, no attributes: typical of UpsertVectors). Thread-safe; entries live as long as the pool.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ItemMetadata> _labelOnly = new(StringComparer.Ordinal);

    public string Get(string value)
    {
        if (value.Length == 0) return "";
        lock (_strings)
        {
            if (_strings.TryGetValue(value, out var shared)) return shared;
            _strings[value] = value;
            return value;
        }
    }

    public ItemMetadata Share(ItemMetadata metadata)
    {
        if (metadata.ImagePath.Length == 0 && metadata.Attributes.Count == 0)
        {
            lock (_labelOnly)
            {
                if (_labelOnly.TryGetValue(metadata.Label, out var shared)) return shared;
                return _labelOnly[metadata.Label] = new ItemMetadata(Get(metadata.Label), "");
            }
        }
        var attributes = metadata.Attributes.Count == 0
            ? ItemMetadata.NoAttributes
            : metadata.Attributes.ToDictionary(a => Get(a.Key), a => Get(a.Value), StringComparer.Ordinal);
        return new ItemMetadata(Get(metadata.Label), metadata.ImagePath, attributes);
    }
}
