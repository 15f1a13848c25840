namespace Retrieval.Core.Storage;

/// <summary>What a logged change does.</summary>
public enum ChangeKind : byte
{
    /// <summary>Adds or replaces items (vector and metadata).</summary>
    Upsert = 1,

    /// <summary>Removes items by id (unknown ids are ignored).</summary>
    Delete = 2,
}
