namespace Retrieval.Core.Search;

/// <summary>
/// Hierarchical Navigable Small World graph index (Malkov &amp; Yashunin): approximate k-NN with caller-given
/// ids, multi-threaded batch build, searches that are safe while items are added or removed, filtered and exact
/// search, slot reuse for deleted and replaced ids, optional f16/8-bit storage with exact re-ranking, and a
/// checksummed, versioned file format (<see cref="HnswFile"/>).
/// </summary>
/// <remarks>
/// Memory: one block per slot with the stored vector, header, id and layer-0 links (<see cref="HnswNodes"/>), upper
/// layers in small per-slot arrays, and an id map that stores slot numbers only.
/// Concurrency design:
/// - Searches take no lock. Growing takes the grow lock exclusively; inserts and removes hold it shared. Blocks never
///   move once their chunk is full-size, and a reader that meets a slot beyond its view re-reads the newest one.
/// - A new slot is written completely (vector, id, level) before anything links to it; its own lists are written on
///   every layer before the reverse links, so no search reaches a half-linked slot. It becomes visible (and an older
///   slot of the same id hidden) in one step under the id lock, so a replaced id is never returned twice.
/// - Every change to a link list happens under that node's striped lock: entries first, count last, so a lock-free
///   reader sees the old or the new count and every entry it reads is a valid slot.
/// - Deleted and replaced slots keep routing until an insert reuses them: the reuse first re-links the old
///   neighbours around the slot, then rewrites the vector under an odd version number. Searches that overlapped a
///   rewrite re-check and re-score their results against each slot's version, so they never return a torn vector,
///   a stale distance or a slot that changed identity.
/// Cosine: vectors are L2-normalised on insert (and queries on search), so the distance is 1 - dot;
/// zero vectors are refused for cosine.
/// </remarks>
public sealed unsafe partial class HnswIndex : IVectorIndex, IDisposable
{
    private const int LockStripes = 1 << 12;

    private readonly int _m;
    private readonly int _maxM0;
    private readonly double _levelMultiplier;
    private readonly bool _cosine;
    private readonly ReaderWriterLockSlim _growLock = new(LockRecursionPolicy.NoRecursion);
    private readonly object _reserveLock = new();
    private readonly object _idLock = new();
    private readonly object _entryLock = new();
    private readonly object[] _nodeLocks;
    private readonly HnswNodes _nodes;
    private readonly HnswSlotMap _map;
    private readonly Stack<int> _free = new();
    private readonly HnswRawVectors? _raw;
    private readonly ThreadLocal<SearchContext> _contexts;
    private int _used;
    private int _live;
    private int _deletedSlots;
    private long _entry = -1;
    private long _rewritesStarted;
    private long _rewritesFinished;
    private int[]? _order; // HnswDimensionOrder; set once, before the first slot is reserved

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
        _nodes = new HnswNodes(dimension, _m, EncodedBytes(Options.Storage, dimension), Options.InitialCapacity);
        _map = new HnswSlotMap(_nodes);
        _raw = Options.Storage == VectorStorage.Float32 ? null : new HnswRawVectors(dimension);
        _contexts = new ThreadLocal<SearchContext>(() => new SearchContext(dimension));
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public VectorMetric Metric { get; }

    /// <summary>The construction settings.</summary>
    public HnswOptions Options { get; }

    /// <summary>Free text stored with the index file (e.g. the hash of the model that made the vectors).</summary>
    public string Metadata { get; set; } = "";

    /// <summary>Allocated slots (live, deleted and free); grows automatically, and deleted or replaced slots are reused first.</summary>
    public int Capacity => _nodes.Capacity;

    /// <inheritdoc />
    public int Count => Volatile.Read(ref _live);

    /// <inheritdoc />
    public bool Contains(long id)
    {
        lock (_idLock) return _map.TryGet(id, out _);
    }

    /// <inheritdoc />
    /// <remarks>Quantised indexes return the full-precision vector they keep for re-ranking.</remarks>
    public bool TryGetVector(long id, Span<float> destination)
    {
        if (destination.Length != Dimension) throw new ArgumentException($"The destination has {destination.Length} values; the index dimension is {Dimension}.", nameof(destination));
        lock (_idLock) // a live slot is never freed or rewritten while its id maps to it
        {
            if (!_map.TryGet(id, out int slot)) return false;
            HnswDimensionOrder.ToCaller(_order, new ReadOnlySpan<float>(FullVector(_nodes.Current, slot), Dimension), destination);
            return true;
        }
    }

    /// <inheritdoc />
    /// <remarks>Validates the whole batch first (nothing is added on error); large batches are inserted in parallel.</remarks>
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        ValidateBatch(vectors, ids);
        int n = ids.Length;
        if (n == 0) return;
        int[] slots = Reserve(n, vectors);
        int threads = Options.BuildThreads == 0 ? Environment.ProcessorCount : Options.BuildThreads;
        fixed (float* vp = vectors)
        fixed (long* ip = ids)
        {
            if (threads <= 1 || n < 4 * threads)
            {
                for (int i = 0; i < n; i++) Insert(vp + (nint)i * Dimension, ip[i], slots[i]);
            }
            else
            {
                nint vAddr = (nint)vp, iAddr = (nint)ip;
                int dim = Dimension;
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    i => Insert((float*)vAddr + (nint)i * dim, ((long*)iAddr)[i], slots[i]));
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The slot keeps routing searches until a later insert reuses it.</remarks>
    public bool Remove(long id)
    {
        _growLock.EnterReadLock();
        try
        {
            lock (_idLock)
            {
                int slot = _map.Remove(id);
                if (slot < 0) return false;
                Volatile.Write(ref *_nodes.State(_nodes.Node(_nodes.Current, slot)), HnswNodes.Deleted);
                _free.Push(slot);
                _live = _map.Count;
                _deletedSlots = _free.Count;
                return true;
            }
        }
        finally
        {
            _growLock.ExitReadLock();
        }
    }

    /// <inheritdoc />
    public void Save(string path) => HnswFile.Save(this, path);

    /// <summary>Reads an index written by <see cref="Save"/>; refuses truncated, corrupt or unknown-version files.</summary>
    public static HnswIndex Load(string path) => HnswFile.Load(path, mapFullVectors: false);

    /// <summary>
    /// Reads an index written by <see cref="Save"/>. With <paramref name="mapFullVectors"/> a quantised index maps its
    /// full-precision vectors from the file instead of reading them into memory (the file must stay in place; vectors
    /// added later are kept in memory until the next save and load).
    /// </summary>
    public static HnswIndex Load(string path, bool mapFullVectors) => HnswFile.Load(path, mapFullVectors);

    /// <summary>Releases the mapped file of an index loaded with mapped full-precision vectors.</summary>
    public void Dispose()
    {
        _raw?.Dispose();
        _contexts.Dispose();
    }

    /// <summary>Bytes one stored (encoded) vector takes in a node block.</summary>
    internal static int EncodedBytes(VectorStorage storage, int dimension) => storage switch
    {
        VectorStorage.Float16 => dimension * 2,
        VectorStorage.Int8 => dimension + QuantizedVectors.ByteHeader,
        _ => dimension * sizeof(float),
    };

    internal HnswNodes Nodes => _nodes;

    internal HnswRawVectors? Raw => _raw;

    /// <summary>Runs an action on a consistent graph (no insert or remove runs meanwhile; searches do): slots used and the entry.</summary>
    internal void Freeze(Action<int, long> action)
    {
        _growLock.EnterWriteLock();
        try
        {
            action(_used, Volatile.Read(ref _entry));
        }
        finally
        {
            _growLock.ExitWriteLock();
        }
    }

    /// <summary>Makes room for a graph read from a file (before <see cref="Restore"/>).</summary>
    internal void PrepareForLoad(int slots)
    {
        _growLock.EnterWriteLock();
        try
        {
            _nodes.Grow(slots);
        }
        finally
        {
            _growLock.ExitWriteLock();
        }
    }

    /// <summary>Installs a graph read from a file into this empty index: maps live ids and lists deleted slots as free.</summary>
    internal void Restore(int used, long entry)
    {
        _used = used;
        _entry = entry;
        var g = _nodes.Current;
        int live = 0;
        for (int slot = 0; slot < used; slot++) if (*_nodes.State(_nodes.Node(g, slot)) == HnswNodes.Live) live++;
        _map.EnsureCapacity(live);
        for (int slot = used - 1; slot >= 0; slot--)
        {
            byte* node = _nodes.Node(g, slot);
            byte state = *_nodes.State(node);
            if (state == HnswNodes.Deleted) _free.Push(slot);
            else if (state == HnswNodes.Live && _map.Set(*_nodes.Id(node), slot) >= 0)
                throw new InvalidDataException($"Id {*_nodes.Id(node)} is live in two slots.");
        }
        _live = _map.Count;
        _deletedSlots = _free.Count;
    }

    /// <summary>Slots for a batch: reused ones first (never the entry point's), then fresh ones, growing if needed.</summary>
    private int[] Reserve(int n, ReadOnlySpan<float> vectors)
    {
        var slots = new int[n];
        lock (_reserveLock)
        {
            if (_used == 0 && _order is null && HnswDimensionOrder.Applies(Metric, Options.Storage, Dimension, n))
                _order = HnswDimensionOrder.ByVariance(vectors, Dimension); // before any slot exists, so no search sees a mix
            int taken = 0;
            lock (_idLock)
            {
                int entrySlot = (int)Volatile.Read(ref _entry);
                int keep = -1;
                while (taken < n && _free.TryPop(out int slot))
                {
                    if (slot == entrySlot && Volatile.Read(ref _entry) >= 0) keep = slot;
                    else slots[taken++] = slot;
                }
                if (keep >= 0) _free.Push(keep);
                _deletedSlots = _free.Count;
            }
            int start = _used;
            int fresh = n - taken;
            if (start + (long)fresh > int.MaxValue) throw new InvalidOperationException($"The index cannot hold more than {int.MaxValue} slots.");
            EnsureCapacity(start + fresh);
            for (int i = 0; i < fresh; i++) slots[taken + i] = start + i;
            _used = start + fresh;
        }
        return slots;
    }

    private void EnsureCapacity(int needed)
    {
        if (_nodes.Capacity >= needed) return;
        _growLock.EnterWriteLock();
        try
        {
            _nodes.Grow(needed);
        }
        finally
        {
            _growLock.ExitWriteLock();
        }
    }

    private void ValidateBatch(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        if (vectors.Length != (long)ids.Length * Dimension)
            throw new ArgumentException($"Expected {ids.Length} x {Dimension} = {(long)ids.Length * Dimension} floats for {ids.Length} ids, got {vectors.Length}.", nameof(vectors));
        var seen = new HashSet<long>(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            if (!seen.Add(ids[i])) throw new ArgumentException($"Id {ids[i]} appears twice in one batch (row {i}).", nameof(ids));
            CheckVector(vectors.Slice(i * Dimension, Dimension), i, ids[i]);
        }
    }

    /// <summary>
    /// Refuses non-finite values and, for cosine, all-zero vectors (row &lt; 0 = the query). One SIMD pass when the
    /// vector is fine; the exact check (in double) runs only when the sum of squares is not a normal float.
    /// </summary>
    private void CheckVector(ReadOnlySpan<float> v, int row, long id = 0)
    {
        if (float.IsNormal(VectorDistance.Dot(v, v))) return;
        string What() => row < 0 ? "query" : $"row {row} (id {id})";
        for (int j = 0; j < v.Length; j++)
            if (!float.IsFinite(v[j])) throw new ArgumentException($"The {What()} has a non-finite value ({v[j]}) at position {j}.");
        if (_cosine && SumOfSquares(v) == 0) throw new ArgumentException($"The {What()} is all zeros; cosine distance needs a non-zero vector.");
    }

    /// <summary>Scales v to unit length (the sum of squares in double only when the float one over- or underflows).</summary>
    private static void Normalize(Span<float> v)
    {
        float squares = VectorDistance.Dot(v, v);
        double norm = float.IsNormal(squares) ? Math.Sqrt(squares) : Math.Sqrt(SumOfSquares(v));
        System.Numerics.Tensors.TensorPrimitives.Multiply(v, (float)(1.0 / norm), v);
    }

    private static double SumOfSquares(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v) sum += (double)x * x;
        return sum;
    }

    /// <summary>The stored dimension order (null = the caller's order), for the file.</summary>
    internal int[]? DimensionOrder
    {
        get => _order;
        set => _order = value;
    }

    /// <summary>This thread's scratch space (a fresh one if this thread's is busy, e.g. a filter that searches).</summary>
    private SearchContext RentContext()
    {
        var ctx = _contexts.Value!;
        if (ctx.InUse) return new SearchContext(Dimension) { InUse = true };
        ctx.InUse = true;
        return ctx;
    }

    private static void Return(SearchContext ctx) => ctx.InUse = false;

    /// <summary>The full-precision vector of a slot: the stored one, or the kept copy of a quantised index.</summary>
    private float* FullVector(HnswNodes.Generation g, int slot) => _raw is null ? (float*)_nodes.Node(g, slot) : _raw.Get(slot);
}
