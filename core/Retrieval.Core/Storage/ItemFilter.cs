namespace Retrieval.Core.Storage;

/// <summary>
/// Which items a search may return: label one of <see cref="Labels"/> (any label when empty) and every attribute in
/// <see cref="Attributes"/> present with exactly that value. Applied inside the index search, so a filtered search still
/// returns k items when k match.
/// </summary>
public sealed class ItemFilter
{
    /// <summary>A filter on labels and attribute values.</summary>
    public ItemFilter(IEnumerable<string> labels, IReadOnlyDictionary<string, string> attributes)
    {
        Labels = labels.ToHashSet(StringComparer.Ordinal);
        Attributes = attributes;
    }

    /// <summary>Allowed labels (empty = any).</summary>
    public IReadOnlySet<string> Labels { get; }

    /// <summary>Required attribute values.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>True when the filter lets every item through.</summary>
    public bool IsEmpty => Labels.Count == 0 && Attributes.Count == 0;

    /// <summary>Whether an item with this metadata passes.</summary>
    public bool Matches(ItemMetadata item)
    {
        if (Labels.Count > 0 && !Labels.Contains(item.Label)) return false;
        foreach (var (key, value) in Attributes)
            if (!item.Attributes.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal)) return false;
        return true;
    }
}
