namespace Retrieval.Core.Storage;

/// <summary>
/// Shares one string instance per distinct value (labels and attribute values repeat across items: a million items
/// of a thousand classes keep a thousand label strings). Thread-safe; entries live as long as the pool.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

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
        var attributes = metadata.Attributes.Count == 0
            ? ItemMetadata.NoAttributes
            : metadata.Attributes.ToDictionary(a => Get(a.Key), a => Get(a.Value), StringComparer.Ordinal);
        return new ItemMetadata(Get(metadata.Label), metadata.ImagePath, attributes);
    }
}
