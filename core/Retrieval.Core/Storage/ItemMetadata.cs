namespace Retrieval.Core.Storage;

/// <summary>What a collection keeps about an item besides its vector: class label, image path and free attributes.</summary>
public sealed record ItemMetadata(string Label, string ImagePath, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The shared empty attribute map (items without attributes cost no extra memory).</summary>
    public static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>();

    /// <summary>Metadata without attributes.</summary>
    public ItemMetadata(string label, string imagePath) : this(label, imagePath, NoAttributes)
    {
    }
}
