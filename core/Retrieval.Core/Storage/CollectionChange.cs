namespace Retrieval.Core.Storage;

/// <summary>
/// One acknowledged write to a collection: an upsert of a batch of items or a delete of a batch of ids. A change is
/// logged and applied as a whole, so after a crash a batch is either fully present or fully absent.
/// </summary>
public sealed class CollectionChange
{
    private CollectionChange(ChangeKind kind, IReadOnlyList<VectorItem> items, IReadOnlyList<long> ids) =>
        (Kind, Items, Ids) = (kind, items, ids);

    /// <summary>Upsert or delete.</summary>
    public ChangeKind Kind { get; }

    /// <summary>The items of an upsert (empty for a delete).</summary>
    public IReadOnlyList<VectorItem> Items { get; }

    /// <summary>The ids of a delete (empty for an upsert).</summary>
    public IReadOnlyList<long> Ids { get; }

    /// <summary>Number of items or ids the change touches (the compaction trigger counts these).</summary>
    public int Size => Kind == ChangeKind.Upsert ? Items.Count : Ids.Count;

    /// <summary>An upsert of <paramref name="items"/>.</summary>
    public static CollectionChange Upsert(IReadOnlyList<VectorItem> items) => new(ChangeKind.Upsert, items, []);

    /// <summary>A delete of <paramref name="ids"/>.</summary>
    public static CollectionChange Delete(IReadOnlyList<long> ids) => new(ChangeKind.Delete, [], ids);
}
