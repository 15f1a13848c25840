using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Retrieval.Core.Search;

/// <summary>
/// Hierarchical Navigable Small World graph index (Malkov &amp; Yashunin): approximate k-NN with caller-given
/// ids, multi-threaded batch build, searches that are safe while items are added or removed, soft deletes,
/// and a checksummed, versioned file format (<see cref="HnswFile"/>).
/// </summary>
/// <remarks>
/// Concurrency design:
/// - Searches take no lock. They read one storage generation (<see cref="HnswStorage"/>) at their start.
///   Growing the index takes the grow lock exclusively, copies everything (upper link arrays included) into a
///   larger generation and publishes it; the old generation is never written again, so it cannot tear.
/// - Inserts and removes hold the grow lock shared. A new node is written completely (vector, id, level) and
///   marked hidden; then its own link lists are written on every layer, and only then do other nodes get links
///   to it, so no search or insert ever reaches a node whose lists are not all in place.
///   It becomes visible in results (and an older item with the same id hidden) in one step under the id-map
///   lock, so a replaced id is never returned twice.
/// - Every change to a link list happens under that node's striped lock: the entries are written first and
///   the count last, so a lock-free reader sees either the old or the new count, and every entry it reads is
///   a valid, fully written node (possibly a stale neighbour, which only costs routing quality).
/// - The entry point (label and top level) is one 64-bit value, replaced under a lock after the node is linked.
/// Cosine: vectors are L2-normalised on insert (and queries on search), so the distance is 1 - dot;
/// zero vectors are refused for cosine. Deleted items stay in the graph for routing and are never returned.
/// </remarks>
public sealed unsafe class HnswIndex : IVectorIndex
{
    private const int LockStripes = 1 << 12;

    private readonly int _m;
    private readonly int _maxM0;
    private readonly double _levelMultiplier;
    private readonly bool _cosine;
    private readonly ReaderWriterLockSlim _growLock = new(LockRecursionPolicy.NoRecursion);
    private readonly object _reserveLock = new();
    private readonly object _entryLock = new();
    private readonly object[] _nodeLocks;
    private readonly Dictionary<long, int> _labels = new();
    private readonly ConcurrentBag<SearchContext> _contexts = new();
    private volatile HnswStorage _storage;
    private int _used;
    private int _live;
    private long _entry = -1;

    /// <summary>Creates an empty index.</summary>
    public HnswIndex(int dimension, VectorMetric metric, HnswOptions? options = null)
    {
        if (dimension <= 0) throw new ArgumentException($"Dimension must be positive, got {dimension}.", nameof(dimension));
        if (!Enum.IsDefined(metric)) throw new ArgumentException($"Unknown metric {(int)metric}.", nameof(metric));
        Options = options ?? new HnswOptions();
        Options.Validate();
        Dimension = dimension;
        Metric = metric;
        _cosine = metric == VectorMetric.Cosine;
        _m = Options.M;
        _maxM0 = 2 * Options.M;
        _levelMultiplier = 1.0 / Math.Log(Options.M);
        _nodeLocks = new object[LockStripes];
        for (int i = 0; i < LockStripes; i++) _nodeLocks[i] = new object();
        _storage = new HnswStorage(Options.InitialCapacity, dimension, _m);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public VectorMetric Metric { get; }

    /// <summary>The construction settings.</summary>
    public HnswOptions Options { get; }

    /// <summary>Free text stored with the index file (e.g. the hash of the model that made the vectors).</summary>
    public string Metadata { get; set; } = "";

    /// <summary>Allocated slots (live, deleted and free); grows automatically.</summary>
    public int Capacity => _storage.Capacity;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _live);

    /// <inheritdoc />
    /// <remarks>Validates the whole batch first (nothing is added on error); large batches are inserted in parallel.</remarks>
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        ValidateBatch(vectors, ids);
        int n = ids.Length;
        if (n == 0) return;
        int start;
        lock (_reserveLock)
        {
            start = _used;
            EnsureCapacity(checked(start + n));
            _used = start + n;
        }
        int threads = Options.BuildThreads == 0 ? Environment.ProcessorCount : Options.BuildThreads;
        fixed (float* vp = vectors)
        fixed (long* ip = ids)
        {
            if (threads <= 1 || n < 4 * threads)
            {
                for (int i = 0; i < n; i++) Insert(vp + (nint)i * Dimension, ip[i], start + i);
            }
            else
            {
                nint vAddr = (nint)vp, iAddr = (nint)ip;
                int dim = Dimension;
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    i => Insert((float*)vAddr + (nint)i * dim, ((long*)iAddr)[i], start + i));
            }
        }
    }

    /// <inheritdoc />
    public bool Remove(long id)
    {
        _growLock.EnterReadLock();
        try
        {
            lock (_labels)
            {
                if (!_labels.Remove(id, out int label)) return false;
                _storage.Deleted[label] = 1;
                _live = _labels.Count;
                return true;
            }
        }
        finally
        {
            _growLock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// With a filter, items that fail it still route the graph walk but are never returned, and the beam keeps
    /// widening until ef items pass; when the filter is so selective that the walk would cost more than a scan of
    /// the stored vectors (estimated up front, or noticed when the walk exceeds its visit budget) the call scans
    /// instead, so k results come back whenever k live items pass. <see cref="SearchParams.Exact"/> always scans.
    /// </remarks>
    public Neighbor[] Search(ReadOnlySpan<float> query, int k, SearchParams? options = null)
    {
        if (query.Length != Dimension) throw new ArgumentException($"Query has {query.Length} values; the index dimension is {Dimension}.", nameof(query));
        if (k <= 0) throw new ArgumentException($"k must be positive, got {k}.", nameof(k));
        int ef = options?.Ef ?? 0;
        if (ef < 0) throw new ArgumentException($"SearchParams.Ef must be >= 0 (0 = default), got {ef}.", nameof(options));
        int beam = Math.Max(ef == 0 ? Options.DefaultEf : ef, k);
        var filter = options?.Filter;
        Span<float> q = Dimension <= 2048 ? stackalloc float[Dimension] : new float[Dimension];
        query.CopyTo(q);
        CheckVector(q, "query");
        if (_cosine) Normalize(q);

        long entry = Volatile.Read(ref _entry); // before the storage: any generation read later holds the entry node
        if (entry < 0) return [];
        var storage = _storage;
        int used = Math.Min(Volatile.Read(ref _used), storage.Capacity);
        int live = Volatile.Read(ref _live);
        fixed (float* qp = q)
        {
            if (options?.Exact != true)
            {
                int budget = filter is null ? int.MaxValue : FilteredVisitBudget(storage, used, live, filter, k, beam);
                if (budget > 0 && SearchGraph(storage, qp, entry, k, beam, filter, budget, live) is { } found) return found;
            }
            return Scan(storage, used, qp, k, filter);
        }
    }

    /// <summary>Whether a live item has this id.</summary>
    public bool Contains(long id)
    {
        lock (_labels) return _labels.ContainsKey(id);
    }

    /// <inheritdoc />
    public bool TryGetVector(long id, Span<float> destination)
    {
        if (destination.Length != Dimension) throw new ArgumentException($"The destination has {destination.Length} values; the index dimension is {Dimension}.", nameof(destination));
        lock (_labels) // a live slot is never freed or rewritten while its id maps to it
        {
            if (!_labels.TryGetValue(id, out int label)) return false;
            new ReadOnlySpan<float>(_storage.Vector(label), Dimension).CopyTo(destination);
            return true;
        }
    }

    /// <inheritdoc />
    public void Save(string path) => HnswFile.Save(this, path);

    /// <summary>Reads an index written by <see cref="Save"/>; refuses truncated, corrupt or unknown-version files.</summary>
    public static HnswIndex Load(string path) => HnswFile.Load(path);

    /// <summary>Runs an action on a consistent graph (no insert or remove runs meanwhile; searches do).</summary>
    internal void Freeze(Action<HnswStorage, int, long> action)
    {
        _growLock.EnterWriteLock();
        try
        {
            action(_storage, _used, Volatile.Read(ref _entry));
        }
        finally
        {
            _growLock.ExitWriteLock();
        }
    }

    /// <summary>Installs a graph read from a file into this empty index.</summary>
    internal void Restore(HnswStorage storage, int used, long entry)
    {
        _storage = storage;
        _used = used;
        _entry = entry;
        for (int label = 0; label < used; label++)
            if (storage.Deleted[label] == 0 && !_labels.TryAdd(storage.Ids[label], label))
                throw new InvalidDataException($"Id {storage.Ids[label]} is live in two slots.");
        _live = _labels.Count;
    }

    private void ValidateBatch(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        if (vectors.Length != (long)ids.Length * Dimension)
            throw new ArgumentException($"Expected {ids.Length} x {Dimension} = {(long)ids.Length * Dimension} floats for {ids.Length} ids, got {vectors.Length}.", nameof(vectors));
        var seen = new HashSet<long>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            if (!seen.Add(ids[i])) throw new ArgumentException($"Id {ids[i]} appears twice in one batch (row {i}).", nameof(ids));
            CheckVector(vectors.Slice(i * Dimension, Dimension), $"row {i} (id {ids[i]})");
        }
    }

    private void CheckVector(ReadOnlySpan<float> v, string what)
    {
        double norm = 0;
        for (int j = 0; j < v.Length; j++)
        {
            if (!float.IsFinite(v[j])) throw new ArgumentException($"The {what} has a non-finite value ({v[j]}) at position {j}.");
            norm += (double)v[j] * v[j];
        }
        if (_cosine && norm == 0) throw new ArgumentException($"The {what} is all zeros; cosine distance needs a non-zero vector.");
    }

    private static void Normalize(Span<float> v)
    {
        double norm = 0;
        foreach (float x in v) norm += (double)x * x;
        float inv = (float)(1.0 / Math.Sqrt(norm));
        for (int j = 0; j < v.Length; j++) v[j] *= inv;
    }

    private void EnsureCapacity(int needed)
    {
        if (_storage.Capacity >= needed) return;
        _growLock.EnterWriteLock();
        try
        {
            var old = _storage;
            _storage = old.Grow(Math.Max(needed, (int)Math.Min(int.MaxValue / 2, (long)old.Capacity * 2)));
        }
        finally
        {
            _growLock.ExitWriteLock();
        }
    }

    private int LevelFor(int label)
    {
        ulong z = (ulong)(Options.Seed + label) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]
        return (int)(-Math.Log(u) * _levelMultiplier);
    }

    private void Insert(float* vector, long id, int label)
    {
        _growLock.EnterReadLock();
        var ctx = RentContext();
        try
        {
            var s = _storage;
            int level = LevelFor(label);
            float* dst = s.Vector(label);
            new ReadOnlySpan<float>(vector, Dimension).CopyTo(new Span<float>(dst, Dimension));
            if (_cosine) Normalize(new Span<float>(dst, Dimension));
            s.Ids[label] = id;
            s.Deleted[label] = 1; // hidden until linked
            s.Level0[label * s.Level0Stride] = 0;
            if (level > 0) s.Upper[label] = new int[level * s.UpperStride];
            Volatile.Write(ref s.Levels[label], level);

            long entry = Volatile.Read(ref _entry);
            if (entry < 0)
            {
                lock (_entryLock)
                {
                    entry = _entry;
                    if (entry < 0)
                    {
                        Publish(s, label, id);
                        Volatile.Write(ref _entry, ((long)level << 32) | (uint)label);
                        return;
                    }
                }
            }
            int top = (int)(entry >> 32);
            int cur = (int)entry;
            float curDist = Distance(s, dst, cur);
            for (int l = top; l > level; l--) Greedy(s, dst, ref cur, ref curDist, l);
            // Write the node's own lists on every layer first, then the reverse links: nothing can reach the
            // node before all of its lists exist, so a search never lands on a half-linked node.
            var chosen = new int[Math.Min(level, top) + 1][];
            for (int l = chosen.Length - 1; l >= 0; l--)
            {
                SearchLayer(s, ctx, dst, cur, curDist, Options.EfConstruction, l, skipDeleted: false);
                chosen[l] = SelectForNewNode(s, ctx);
                SetLinks(s, ctx, label, l, chosen[l]);
                if (chosen[l].Length > 0) (cur, curDist) = (chosen[l][0], Distance(s, dst, chosen[l][0]));
            }
            for (int l = 0; l < chosen.Length; l++)
                foreach (int other in chosen[l]) SetLinks(s, ctx, other, l, [label]);
            Publish(s, label, id);
            if (level > top)
            {
                lock (_entryLock)
                {
                    if (level > (int)(_entry >> 32)) Volatile.Write(ref _entry, ((long)level << 32) | (uint)label);
                }
            }
        }
        finally
        {
            _contexts.Add(ctx);
            _growLock.ExitReadLock();
        }
    }

    private void Publish(HnswStorage s, int label, long id)
    {
        lock (_labels)
        {
            if (_labels.TryGetValue(id, out int old)) s.Deleted[old] = 1;
            _labels[id] = label;
            s.Deleted[label] = 0;
            _live = _labels.Count;
        }
    }

    private SearchContext RentContext() => _contexts.TryTake(out var ctx) ? ctx : new SearchContext();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Distance(HnswStorage s, float* q, int label) =>
        _cosine
            ? 1f - VectorDistance.Dot(ref *q, ref *s.Vector(label), Dimension)
            : VectorDistance.SquaredL2(ref *q, ref *s.Vector(label), Dimension);

    private float Distance(HnswStorage s, int a, int b) => Distance(s, s.Vector(a), b);

    private void Greedy(HnswStorage s, float* q, ref int cur, ref float curDist, int level)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            var links = s.Links(cur, level);
            int count = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);
            for (int j = 1; j <= count; j++)
            {
                int n = links[j];
                float d = Distance(s, q, n);
                if (d < curDist)
                {
                    curDist = d;
                    cur = n;
                    changed = true;
                }
            }
        }
    }

    /// <summary>
    /// Beam search on one layer; leaves up to ef nearest admissible nodes in ctx.Results (with skipDeleted: live and
    /// passing the filter; the others still route). Returns false when it stopped after maxVisits distance evaluations.
    /// </summary>
    private bool SearchLayer(HnswStorage s, SearchContext ctx, float* q, int entry, float entryDist, int ef, int level, bool skipDeleted,
        SearchFilter? filter = null, int maxVisits = int.MaxValue)
    {
        ctx.Reset(s.Capacity);
        var candidates = ctx.Candidates;
        var results = ctx.Results;
        // Every label in a link list is < s.Capacity <= the table sizes, so the hot loop skips bounds checks.
        ref ushort marks = ref MemoryMarshal.GetArrayDataReference(ctx.Marks);
        ref byte deleted = ref MemoryMarshal.GetArrayDataReference(s.Deleted);
        ref long ids = ref MemoryMarshal.GetArrayDataReference(s.Ids);
        ushort generation = ctx.Generation;
        int maxLinks = level == 0 ? _maxM0 : _m;
        int visits = 1;
        Unsafe.Add(ref marks, entry) = generation;
        float bound = float.MaxValue;
        if (!skipDeleted || (Unsafe.Add(ref deleted, entry) == 0 && (filter is null || filter.Matches(Unsafe.Add(ref ids, entry)))))
        {
            results.Push(entryDist, entry);
            bound = entryDist;
        }
        candidates.Push(-entryDist, entry);
        while (candidates.Count > 0)
        {
            float candDist = -candidates.TopKey;
            int c = candidates.TopLabel;
            if (candDist > bound && results.Count >= ef) break;
            candidates.Pop();
            var list = s.Links(c, level);
            int count = Math.Min(Volatile.Read(ref list[0]), maxLinks);
            var links = list.Slice(1, count);
            for (int j = 0; j < links.Length; j++)
            {
                int n = links[j];
                if (j + 1 < links.Length && Sse.IsSupported) Sse.Prefetch0(s.Vector(links[j + 1]));
                ref ushort mark = ref Unsafe.Add(ref marks, n);
                if (mark == generation) continue;
                mark = generation;
                if (++visits > maxVisits) return false;
                float d = Distance(s, q, n);
                if (results.Count < ef || d < bound)
                {
                    candidates.Push(-d, n);
                    if (!skipDeleted || (Unsafe.Add(ref deleted, n) == 0 && (filter is null || filter.Matches(Unsafe.Add(ref ids, n))))) results.Push(d, n);
                    if (results.Count > ef) results.Pop();
                    if (results.Count > 0) bound = results.TopKey;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// Graph search for the k nearest live items passing the filter; null when the walk hit its visit budget or
    /// found fewer than k while more may exist, so the caller scans instead.
    /// </summary>
    private Neighbor[]? SearchGraph(HnswStorage storage, float* q, long entry, int k, int beam, SearchFilter? filter, int maxVisits, int live)
    {
        var ctx = RentContext();
        try
        {
            int cur = (int)entry;
            float curDist = Distance(storage, q, cur);
            for (int level = (int)(entry >> 32); level > 0; level--) Greedy(storage, q, ref cur, ref curDist, level);
            if (!SearchLayer(storage, ctx, q, cur, curDist, beam, 0, skipDeleted: true, filter, maxVisits)) return null;
            var found = new List<Neighbor>(ctx.Results.Count);
            for (var r = ctx.Results; r.Count > 0; r.Pop())
                if (storage.Deleted[r.TopLabel] == 0) found.Add(new Neighbor(storage.Ids[r.TopLabel], r.TopKey));
            if (found.Count < k && (filter is not null || found.Count < live)) return null;
            found.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
            if (found.Count > k) found.RemoveRange(k, found.Count - k);
            return found.ToArray();
        }
        finally
        {
            _contexts.Add(ctx);
        }
    }

    /// <summary>
    /// How many nodes a filtered graph walk may visit before a scan is cheaper; 0 = scan right away. Costs are in
    /// distance evaluations: a scan evaluates the predicate on every slot (about a quarter of a distance) and the
    /// distance of every match; a filtered walk needs about <see cref="VisitsPerBeam"/> x beam / selectivity visits,
    /// each dearer than a scanned row (random access), so the budget caps a wrong estimate at about three scans.
    /// </summary>
    private int FilteredVisitBudget(HnswStorage s, int used, int live, SearchFilter filter, int k, int beam)
    {
        if (live == 0) return 0;
        double matches = Math.Min(filter.EstimatedMatches ?? EstimateMatches(s, used, live, filter), live);
        if (matches <= k) return 0;
        double scan = used * 0.25 + matches;
        double walk = VisitsPerBeam * beam * (live / matches);
        return walk > scan ? 0 : (int)Math.Min(int.MaxValue, Math.Max(scan, 2 * walk) + beam);
    }

    private const double VisitsPerBeam = 20;

    /// <summary>Live items passing the filter, estimated from up to 256 evenly spaced slots.</summary>
    private static double EstimateMatches(HnswStorage s, int used, int live, SearchFilter filter)
    {
        int step = Math.Max(1, used / 256), seen = 0, hits = 0;
        for (int label = 0; label < used; label += step)
        {
            if (Volatile.Read(ref s.Deleted[label]) != 0) continue;
            seen++;
            if (filter.Matches(s.Ids[label])) hits++;
        }
        return seen == 0 ? live : (double)live * hits / seen;
    }

    /// <summary>
    /// Brute force over the stored vectors: the k nearest live slots passing the filter, ties by smaller id. A slot
    /// deleted or replaced while the scan ran is dropped at the end (so an id never appears twice); if that leaves
    /// fewer than k, the scan runs again.
    /// </summary>
    private Neighbor[] Scan(HnswStorage s, int used, float* q, int k, SearchFilter? filter)
    {
        var top = new TopKCollector(k);
        for (int attempt = 0; ; attempt++)
        {
            top.Clear();
            for (int label = 0; label < used; label++)
            {
                if (Volatile.Read(ref s.Deleted[label]) != 0) continue;
                long id = s.Ids[label];
                if (filter is not null && !filter.Matches(id)) continue;
                top.Offer(Distance(s, q, label), id, label);
            }
            var pairs = top.ToSortedPairs();
            var kept = new List<Neighbor>(pairs.Length);
            foreach (var (item, label) in pairs)
                if (Volatile.Read(ref s.Deleted[label]) == 0) kept.Add(item);
            if (kept.Count == pairs.Length || attempt == 2) return kept.ToArray();
            s = _storage;
            used = Math.Min(Volatile.Read(ref _used), s.Capacity);
        }
    }

    /// <summary>The new node's neighbours on one layer, closest first, chosen by the heuristic from the beam in ctx.Results.</summary>
    private int[] SelectForNewNode(HnswStorage s, SearchContext ctx)
    {
        var results = ctx.Results;
        int n = results.Count;
        ctx.EnsureScratch(n);
        var scratch = ctx.Scratch;
        for (int i = n - 1; i >= 0; i--, results.Pop()) scratch[i] = (results.TopKey, results.TopLabel);
        int chosen = SelectNeighbors(s, scratch, n, ctx.Selected, _m);
        var labels = new int[chosen];
        for (int i = 0; i < chosen; i++) labels[i] = ctx.Selected[i].Label;
        return labels;
    }

    /// <summary>Adds links from a node under its lock, re-pruning with the heuristic when the list would overflow.</summary>
    private void SetLinks(HnswStorage s, SearchContext ctx, int node, int level, ReadOnlySpan<int> add)
    {
        int maxM = level == 0 ? _maxM0 : _m;
        lock (_nodeLocks[node & (LockStripes - 1)])
        {
            var links = s.Links(node, level);
            int count = links[0];
            Span<int> fresh = stackalloc int[add.Length];
            int f = 0;
            foreach (int a in add)
                if (!links.Slice(1, count).Contains(a)) fresh[f++] = a;
            ReadOnlySpan<int> toAdd = fresh[..f];
            if (count + toAdd.Length <= maxM)
            {
                for (int i = 0; i < toAdd.Length; i++) links[1 + count + i] = toAdd[i];
                Volatile.Write(ref links[0], count + toAdd.Length);
                return;
            }
            ctx.EnsureScratch(count + toAdd.Length);
            var scratch = ctx.Scratch;
            int n = 0;
            for (int i = 1; i <= count; i++) scratch[n++] = (Distance(s, node, links[i]), links[i]);
            foreach (int a in toAdd) scratch[n++] = (Distance(s, node, a), a);
            scratch.AsSpan(0, n).Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            int kept = SelectNeighbors(s, scratch, n, ctx.Selected, maxM);
            for (int i = 0; i < kept; i++) links[1 + i] = ctx.Selected[i].Label;
            Volatile.Write(ref links[0], kept);
        }
    }

    /// <summary>
    /// hnswlib's heuristic: walk candidates closest first and keep one only if no kept neighbour is closer to it
    /// than the base node is. Candidates must be sorted by distance; with fewer than max candidates all are kept.
    /// </summary>
    private int SelectNeighbors(HnswStorage s, (float Distance, int Label)[] sorted, int n, (float Distance, int Label)[] kept, int max)
    {
        if (n <= max)
        {
            Array.Copy(sorted, kept, n);
            return n;
        }
        int count = 0;
        for (int i = 0; i < n && count < max; i++)
        {
            var (d, c) = sorted[i];
            bool good = true;
            for (int j = 0; j < count; j++)
            {
                if (Distance(s, kept[j].Label, c) < d)
                {
                    good = false;
                    break;
                }
            }
            if (good) kept[count++] = (d, c);
        }
        return count;
    }
}
