using System.Collections.Concurrent;
using System.Diagnostics;
using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// A durable, searchable set of items: each vector lives once, in the index (<see cref="IVectorIndex"/>); beside it a
/// map id → <see cref="ItemMetadata"/> (label, image path, attributes). Writes go to the store's log first (durable
/// before they return), then to memory; a background compaction writes a new snapshot after
/// <see cref="CompactionPolicy.AfterItems"/> changes, while searches and writes go on.
/// </summary>
/// <remarks>
/// Searches take no lock. Writes are serialised; a batch is logged as one change, so a crash leaves it wholly
/// present or wholly absent. A collection without a store (<see cref="CreateInMemory"/>) is filled off to the side
/// and then attached (<see cref="Attach"/>) as a store's new content.
/// </remarks>
public sealed class VectorCollection
{
    private readonly IVectorIndex _index;
    private readonly ConcurrentDictionary<long, ItemMetadata> _items;
    private readonly StringPool _strings;
    private readonly CompactionPolicy _policy;
    private readonly Action<string> _log;
    private readonly Lock _write = new();
    private readonly Lock _compactGate = new();
    private ICollectionStore? _store;
    private Task _compaction = Task.CompletedTask;
    private long _pending;
    private long _nextCompactionAt;
    private volatile bool _retired;
    private volatile bool _failed;

    private VectorCollection(IVectorIndex index, ConcurrentDictionary<long, ItemMetadata> items, StringPool strings,
        IReadOnlyDictionary<string, string> properties, CompactionPolicy? policy, Action<string>? log)
    {
        (_index, _items, _strings, Properties) = (index, items, strings, properties);
        _policy = policy ?? new CompactionPolicy();
        _policy.Validate();
        _nextCompactionAt = _policy.AfterItems;
        _log = log ?? (_ => { });
    }

    /// <summary>The owner's properties, stored with every snapshot (the server records its model here).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Vector length.</summary>
    public int Dimension => _index.Dimension;

    /// <summary>The distance searches rank by.</summary>
    public VectorMetric Metric => _index.Metric;

    /// <summary>Live items.</summary>
    public int Count => _index.Count;

    /// <summary>The index holding the vectors (read it; write only through the collection).</summary>
    public IVectorIndex Index => _index;

    /// <summary>Every item's metadata (a live view: items changed meanwhile may or may not appear).</summary>
    public IEnumerable<KeyValuePair<long, ItemMetadata>> Items => _items;

    /// <summary>Items changed since the current snapshot (what a restart would replay).</summary>
    public long PendingChanges => Interlocked.Read(ref _pending);

    /// <summary>The durable store, once attached.</summary>
    public ICollectionStore? Store => _store;

    /// <summary>A collection in memory only, to fill and then <see cref="Attach"/> to a store.</summary>
    public static VectorCollection CreateInMemory(IVectorIndex index, IReadOnlyDictionary<string, string> properties,
        CompactionPolicy? policy = null, Action<string>? log = null) =>
        new(index, new ConcurrentDictionary<long, ItemMetadata>(), new StringPool(), properties, policy, log);

    /// <summary>
    /// Opens a stored collection: loads the snapshot (the saved index is read, not rebuilt), replays the log after it
    /// (consecutive upserts as one batch insert) and checks that index and metadata agree.
    /// </summary>
    public static VectorCollection Open(ICollectionStore store, IVectorIndexFactory factory, CompactionPolicy? policy = null, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var items = new ConcurrentDictionary<long, ItemMetadata>();
        var strings = new StringPool();
        var index = store.LoadSnapshot(factory, (id, metadata) =>
        {
            if (!items.TryAdd(id, strings.Share(metadata))) throw new InvalidDataException($"item {id} appears twice");
        });
        var collection = new VectorCollection(index, items, strings, store.Manifest.Properties, policy, log);
        double loaded = clock.Elapsed.TotalSeconds;
        var upserts = new Dictionary<long, VectorItem>();
        void Flush()
        {
            if (upserts.Count == 0) return;
            collection.Apply(CollectionChange.Upsert([.. upserts.Values]));
            upserts.Clear();
        }
        store.Replay(store.Manifest.Sequence, (_, change) =>
        {
            collection.Validate(change);
            collection._pending += change.Size;
            if (change.Kind == ChangeKind.Delete)
            {
                Flush();
                collection.Apply(change);
                return;
            }
            foreach (var item in change.Items)
            {
                if (upserts.ContainsKey(item.Id)) Flush();
                upserts[item.Id] = item;
            }
        });
        Flush();
        // Same count and every item in the index: the two hold the same ids.
        if (items.Count != index.Count || !items.Keys.All(index.Contains))
            throw new InvalidDataException($"{store.Manifest.IndexFile} and {store.Manifest.ItemsFile} disagree after replaying the log: {index.Count} vectors, {items.Count} items.");
        collection._store = store;
        collection._log($"Snapshot at sequence {store.Manifest.Sequence} loaded in {loaded:F2} s ({items.Count} items after replay); " +
            $"{collection._pending} changed items replayed from the log in {clock.Elapsed.TotalSeconds - loaded:F2} s.");
        if (collection._pending >= collection._nextCompactionAt) collection.MaybeCompact();
        return collection;
    }

    /// <summary>Makes <paramref name="store"/> (whose current snapshot is this collection's content) the collection's durable home.</summary>
    public void Attach(ICollectionStore store)
    {
        lock (_write)
        {
            if (_store is not null) throw new InvalidOperationException("the collection already has a store.");
            _store = store;
            Interlocked.Exchange(ref _pending, 0);
        }
    }

    /// <summary>Adds or replaces items (the last of repeated ids wins) as one logged change; returns its sequence (0 without a store).</summary>
    public long Upsert(IReadOnlyList<VectorItem> items)
    {
        var unique = items.Count < 2 ? items : items.GroupBy(i => i.Id).Select(g => g.Last()).ToArray();
        var change = CollectionChange.Upsert(unique);
        Validate(change);
        if (change.Size == 0) return _store?.LastSequence ?? 0;
        long sequence;
        lock (_write)
        {
            ThrowIfClosed();
            sequence = _store?.Append(change) ?? 0;
            ApplyLogged(change);
        }
        MaybeCompact();
        return sequence;
    }

    /// <summary>Removes the items that exist among <paramref name="ids"/> as one logged change; returns its sequence and how many existed.</summary>
    public (long Sequence, int Deleted) Delete(IReadOnlyList<long> ids)
    {
        long sequence;
        int deleted;
        lock (_write)
        {
            ThrowIfClosed();
            var existing = ids.Distinct().Where(_items.ContainsKey).ToArray();
            if (existing.Length == 0) return (_store?.LastSequence ?? 0, 0);
            var change = CollectionChange.Delete(existing);
            sequence = _store?.Append(change) ?? 0;
            ApplyLogged(change);
            deleted = existing.Length;
        }
        MaybeCompact();
        return (sequence, deleted);
    }

    /// <summary>
    /// The k nearest items that pass <paramref name="filter"/>, closest first. <paramref name="ef"/> is the beam (0 = the
    /// index default); <paramref name="exact"/> scans every vector instead of the graph. The query must have
    /// <see cref="Dimension"/> finite values.
    /// </summary>
    public CollectionHit[] Search(ReadOnlySpan<float> query, int k, int ef = 0, bool exact = false, ItemFilter? filter = null)
    {
        var accept = filter is null || filter.IsEmpty ? null : SearchFilter.Where(id => _items.TryGetValue(id, out var m) && filter.Matches(m));
        var neighbors = _index.Search(query, k, new SearchParams(ef, accept, exact));
        var hits = new List<CollectionHit>(neighbors.Length);
        foreach (var n in neighbors)
            if (_items.TryGetValue(n.Id, out var metadata)) hits.Add(new CollectionHit(n.Id, metadata, n.Distance)); // deleted meanwhile: skipped
        return [.. hits];
    }

    /// <summary>The metadata of an item.</summary>
    public bool TryGet(long id, out ItemMetadata metadata) => _items.TryGetValue(id, out metadata!);

    /// <summary>Writes a snapshot now (or joins the one running) and drops the log it covers.</summary>
    public Task CompactAsync()
    {
        lock (_compactGate)
        {
            if (_compaction.IsCompleted) _compaction = Task.Run(Compact);
            return _compaction;
        }
    }

    /// <summary>Stops writes and compactions (the collection was replaced); returns when a running compaction ends.</summary>
    public Task RetireAsync()
    {
        _retired = true;
        lock (_write) { }
        lock (_compactGate) return _compaction.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Throws ArgumentException naming the first item whose vector does not fit (length, non-finite, zero for cosine).</summary>
    public void Validate(CollectionChange change)
    {
        foreach (var item in change.Items)
        {
            ArgumentNullException.ThrowIfNull(item.Metadata);
            if (item.Vector.Length != Dimension)
                throw new ArgumentException($"item {item.Id}: vector has {item.Vector.Length} values, the collection holds {Dimension}.");
            double norm = 0;
            foreach (float x in item.Vector)
            {
                if (!float.IsFinite(x)) throw new ArgumentException($"item {item.Id}: vector has a non-finite value.");
                norm += (double)x * x;
            }
            if (Metric == VectorMetric.Cosine && norm == 0) throw new ArgumentException($"item {item.Id}: vector is all zeros; cosine needs a non-zero vector.");
        }
    }

    private void ApplyLogged(CollectionChange change)
    {
        try
        {
            Apply(change);
        }
        catch
        {
            _failed = true; // logged but not applied: memory no longer matches the log; a restart replays it
            throw;
        }
        Interlocked.Add(ref _pending, change.Size);
    }

    private void Apply(CollectionChange change)
    {
        if (change.Kind == ChangeKind.Delete)
        {
            foreach (long id in change.Ids)
            {
                _index.Remove(id);
                _items.TryRemove(id, out _);
            }
            return;
        }
        var items = change.Items;
        var vectors = new float[items.Count * Dimension];
        var ids = new long[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            items[i].Vector.CopyTo(vectors, i * Dimension);
            ids[i] = items[i].Id;
            _items[ids[i]] = _strings.Share(items[i].Metadata);
        }
        _index.Add(vectors, ids);
    }

    private void ThrowIfClosed()
    {
        if (_failed) throw new InvalidOperationException("an earlier write was logged but could not be applied; restart to recover from the log.");
        if (_retired) throw new InvalidOperationException("the collection was replaced; write to the current one.");
    }

    private void MaybeCompact()
    {
        if (_store is null || _retired || Interlocked.Read(ref _pending) < Interlocked.Read(ref _nextCompactionAt)) return;
        lock (_compactGate)
        {
            if (!_compaction.IsCompleted) return;
            _compaction = Task.Run(() =>
            {
                try
                {
                    Compact();
                    Interlocked.Exchange(ref _nextCompactionAt, _policy.AfterItems);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Exchange(ref _nextCompactionAt, Interlocked.Read(ref _pending) + _policy.AfterItems);
                    _log($"Compaction failed ({e.Message}); writes go on in the log; next attempt after {_policy.AfterItems} more changes.");
                }
            });
        }
    }

    private void Compact()
    {
        var store = _store;
        if (store is null || _retired) return;
        long sequence, covered;
        lock (_write)
        {
            sequence = store.BeginSnapshot();
            covered = Interlocked.Read(ref _pending);
        }
        _log($"Compaction: writing a snapshot at sequence {sequence} ({Count} items).");
        var clock = Stopwatch.StartNew();
        if (!store.CommitSnapshot(sequence, _index, _items, Properties)) return;
        Interlocked.Add(ref _pending, -covered);
        _log($"Compaction: snapshot at sequence {sequence} ({Count} items) written in {clock.Elapsed.TotalSeconds:F3} s; the log before it was dropped.");
    }
}
