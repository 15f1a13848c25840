using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// Where a <see cref="VectorCollection"/> keeps its durable state: the boundary a storage backend implements.
/// <see cref="LocalCollectionStore"/> is the embedded default (snapshot files and a write-ahead log in one folder);
/// a shared backend (e.g. PostgreSQL as the change log of several replicas) provides the same operations.
/// </summary>
/// <remarks>
/// The contract a backend must keep:
/// <list type="bullet">
/// <item>Every change gets a sequence number, strictly increasing. <see cref="Append"/> returns only when the change
/// is durable; the collection applies it to memory and acknowledges it to the client after that.</item>
/// <item>A snapshot at sequence S holds the effect of every change up to S and possibly of some later ones (it is
/// written while writes go on). Replaying the changes after S over it gives the right state because changes are
/// idempotent: an upsert sets an item's whole state, a delete removes it.</item>
/// <item><see cref="Replay"/> hands every change after a sequence exactly once, in order, and is called once, after
/// <see cref="LoadSnapshot"/> and before any <see cref="Append"/>.</item>
/// <item>The collection serialises <see cref="Append"/> and <see cref="BeginSnapshot"/> (one writer);
/// <see cref="CommitSnapshot"/> runs in the background while appends go on.</item>
/// </list>
/// </remarks>
public interface ICollectionStore : IDisposable
{
    /// <summary>The current snapshot: the sequence it covers, the vector settings and the owner's properties.</summary>
    CollectionManifest Manifest { get; }

    /// <summary>Sequence of the newest durable change (or of the snapshot when nothing came after it).</summary>
    long LastSequence { get; }

    /// <summary>Reads the current snapshot: returns the index as saved (a read, not a rebuild) and hands every item's metadata to <paramref name="addItem"/>.</summary>
    IVectorIndex LoadSnapshot(IVectorIndexFactory factory, Action<long, ItemMetadata> addItem);

    /// <summary>Calls <paramref name="apply"/> for every change after <paramref name="afterSequence"/>, in order; damage is a <see cref="StorageCorruptException"/>.</summary>
    void Replay(long afterSequence, Action<long, CollectionChange> apply);

    /// <summary>Records a change durably and returns its sequence number.</summary>
    long Append(CollectionChange change);

    /// <summary>Marks the point a new snapshot will cover (changes after it go to a fresh log segment) and returns its sequence.</summary>
    long BeginSnapshot();

    /// <summary>
    /// Writes a snapshot covering <paramref name="sequence"/> (from <see cref="BeginSnapshot"/>), makes it current and
    /// drops the log it covers; returns false (writing nothing) when a snapshot at or after that sequence is current.
    /// </summary>
    bool CommitSnapshot(long sequence, IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items, IReadOnlyDictionary<string, string> properties);

    /// <summary>
    /// Makes a snapshot that replaces everything (e.g. re-embedded by another model) current at a new sequence and
    /// returns it; the caller guarantees no <see cref="Append"/> runs meanwhile.
    /// </summary>
    long CommitReplacement(IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items, IReadOnlyDictionary<string, string> properties);
}
