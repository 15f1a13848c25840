using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Retrieval.Core.Search;

/// <summary>Searching: the graph walk (plain, filtered, for construction), the exact scan, and turning slots into results.</summary>
public sealed unsafe partial class HnswIndex
{
    /// <inheritdoc />
    /// <remarks>
    /// With a filter, items that fail it still route the graph walk but are never returned, and the beam keeps
    /// widening until ef items pass; when the filter is so selective that the walk would cost more than a scan of
    /// the stored vectors (estimated up front, or noticed when the walk exceeds its visit budget) the call scans
    /// instead, so k results come back whenever k live items pass. <see cref="SearchParams.Exact"/> always scans.
    /// Quantised indexes re-rank the ef candidates with the full-precision vectors.
    /// </remarks>
    public Neighbor[] Search(ReadOnlySpan<float> query, int k, SearchParams? options = null)
    {
        if (query.Length != Dimension) throw new ArgumentException($"Query has {query.Length} values; the index dimension is {Dimension}.", nameof(query));
        if (k <= 0) throw new ArgumentException($"k must be positive, got {k}.", nameof(k));
        int ef = options?.Ef ?? 0;
        if (ef < 0) throw new ArgumentException($"SearchParams.Ef must be >= 0 (0 = default), got {ef}.", nameof(options));
        CheckVector(query, row: -1);
        if (Volatile.Read(ref _entry) < 0) return []; // read before _order: an index with an entry has its final order
        var ctx = RentContext();
        try
        {
            var q = new Span<float>(ctx.QueryPtr, Dimension);
            HnswDimensionOrder.ToStored(_order, query, q);
            if (_cosine) Normalize(q);
            int beam = Math.Max(ef == 0 ? Options.DefaultEf : ef, k);
            return (Options.Storage, _cosine) switch
            {
                (VectorStorage.Float32, false) => Search<HnswSpaces.L2F32>(ctx, k, beam, options),
                (VectorStorage.Float32, true) => Search<HnswSpaces.CosineF32>(ctx, k, beam, options),
                (VectorStorage.Float16, false) => Search<HnswSpaces.L2F16>(ctx, k, beam, options),
                (VectorStorage.Float16, true) => Search<HnswSpaces.CosineF16>(ctx, k, beam, options),
                (VectorStorage.Int8, false) => Search<HnswSpaces.L2Int8>(ctx, k, beam, options),
                _ => Search<HnswSpaces.CosineInt8>(ctx, k, beam, options),
            };
        }
        finally
        {
            Return(ctx);
        }
    }

    /// <summary>Searches many queries (rows of Dimension floats) on up to <paramref name="threads"/> threads (0 = all processors).</summary>
    public Neighbor[][] SearchBatch(ReadOnlySpan<float> queries, int k, SearchParams? options = null, int threads = 0)
    {
        if (queries.Length % Dimension != 0) throw new ArgumentException($"{queries.Length} floats are not whole rows of dimension {Dimension}.", nameof(queries));
        int n = queries.Length / Dimension, dim = Dimension;
        var results = new Neighbor[n][];
        fixed (float* qp = queries)
        {
            nint addr = (nint)qp;
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount },
                i => results[i] = Search(new ReadOnlySpan<float>((float*)addr + (nint)i * dim, dim), k, options));
        }
        return results;
    }

    private Neighbor[] Search<TSpace>(SearchContext ctx, int k, int beam, SearchParams? options) where TSpace : struct, IHnswSpace
    {
        var filter = options?.Filter;
        long started = Volatile.Read(ref _rewritesStarted), finished = Volatile.Read(ref _rewritesFinished);
        long entry = Volatile.Read(ref _entry); // before the generation: any generation read later holds the entry slot
        if (entry < 0) return [];
        var g = _nodes.Current;
        int used = Math.Min(Volatile.Read(ref _used), g.Capacity);
        int live = Volatile.Read(ref _live);
        if (options?.Exact != true)
        {
            int budget = filter is null ? int.MaxValue : FilteredVisitBudget(g, used, live, filter, k, beam);
            if (budget > 0)
            {
                var query = QueryOf<TSpace>(ctx.QueryPtr);
                int cur = (int)entry;
                float curDist = TSpace.Distance(query, _nodes.Node(g, cur), Dimension);
                for (int level = (int)(entry >> 32); level > 0; level--) Greedy<TSpace>(ref g, query, ref cur, ref curDist, level, -1);
                // With no deleted slot, the walk admits every slot (as hnswlib does without deletions) and Finish drops
                // the few still being inserted; if that leaves too few, the walk runs again admitting live slots only.
                for (int attempt = Volatile.Read(ref _deletedSlots) == 0 && filter is null ? 0 : 1; attempt < 2; attempt++)
                {
                    var from = g;
                    bool complete = filter is not null
                        ? SearchLayer<TSpace, Filtered>(ref from, ctx, query, cur, curDist, beam, 0, filter, budget, -1)
                        : attempt == 0
                            ? SearchLayer<TSpace, AnySlot>(ref from, ctx, query, cur, curDist, beam, 0, null, int.MaxValue, -1)
                            : SearchLayer<TSpace, LiveOnly>(ref from, ctx, query, cur, curDist, beam, 0, null, int.MaxValue, -1);
                    if (!complete) break;
                    int n = ctx.Results.Count;
                    ctx.EnsureScratch(n);
                    for (int i = n - 1; i >= 0; i--, ctx.Results.Pop()) ctx.Scratch[i] = (ctx.Results.TopKey, ctx.Results.TopLabel);
                    var found = Finish(from, ctx, n, k, filter, started, finished);
                    GC.KeepAlive(from); // its chunks hold the memory the walk read through raw pointers
                    if (found.Length >= k || (filter is null && found.Length >= live)) return found;
                }
            }
        }
        return Scan<TSpace>(ctx, k, filter);
    }

    /// <summary>Whether an insert rewrote a reused slot while the search that read these counters ran.</summary>
    private bool Overlapped(long started, long finished)
    {
        Interlocked.MemoryBarrier();
        return started != finished || Volatile.Read(ref _rewritesStarted) != started;
    }

    /// <summary>
    /// Turns the candidate slots in ctx.Scratch[0..n) (closest first) into the k best results, closest first, ties by
    /// smaller id. Slots no longer live are dropped; quantised indexes re-score with the full-precision vectors. A slot
    /// rewritten since the search read the rewrite counters (<paramref name="started"/>, <paramref name="finished"/>)
    /// may carry another id than the vector its walk distance came from: then every slot is re-scored and kept only
    /// if its version did not move meanwhile. The counters are checked again after the ids are read, so a rewrite
    /// that lands while this method runs is caught as well.
    /// </summary>
    private Neighbor[] Finish(HnswNodes.Generation g, SearchContext ctx, int n, int k, SearchFilter? filter, long started, long finished)
    {
        bool overlapped = Overlapped(started, finished);
        BeforeCollect?.Invoke();
        int count = Collect(g, ctx, n, k, filter, overlapped, rescore: overlapped || _raw is not null);
        // Ids read as not overlapped (walk distance kept, filter not re-checked) are right only if no rewrite began before
        // they were read; otherwise collect again as overlapped (quantised indexes re-score either way, but their filter
        // was applied by the walk to the slot's former id).
        if (!overlapped && Overlapped(started, finished))
            count = Collect(g, ctx, n, k, filter, overlapped: true, rescore: true);
        var kept = ctx.Found.AsSpan(0, count);
        kept.Sort(default(NeighborOrder));
        return kept[..Math.Min(k, count)].ToArray();
    }

    /// <summary>Test seam: runs inside <see cref="Finish"/> between the first rewrite check and reading the ids.</summary>
    internal Action? BeforeCollect { get; set; }

    /// <summary>Fills ctx.Found with the live candidates of ctx.Scratch[0..n) (see <see cref="Finish"/>); returns how many.</summary>
    private int Collect(HnswNodes.Generation g, SearchContext ctx, int n, int k, SearchFilter? filter, bool overlapped, bool rescore)
    {
        var found = ctx.Found.Length >= n ? ctx.Found : ctx.Found = new Neighbor[Math.Max(n, 2 * ctx.Found.Length)];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            var (distance, slot) = ctx.Scratch[i];
            // Without re-scoring the order is final: stop after k, past any ties with the k-th distance.
            if (!rescore && count >= k && distance > found[count - 1].Distance) break;
            byte* node = _nodes.Node(g, slot);
            int version = Volatile.Read(ref *_nodes.Version(node));
            if ((version & 1) != 0 || Volatile.Read(ref *_nodes.State(node)) != HnswNodes.Live) continue;
            long id = *_nodes.Id(node);
            if (rescore)
            {
                if (overlapped && filter is not null && !filter.Matches(id)) continue;
                distance = ExactDistance(ctx.QueryPtr, FullVector(g, slot));
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref *_nodes.Version(node)) != version) continue;
            }
            found[count++] = new Neighbor(id, distance);
        }
        return count;
    }

    /// <summary>Closest first, ties by smaller id (the order every index returns).</summary>
    private readonly struct NeighborOrder : IComparer<Neighbor>
    {
        public int Compare(Neighbor a, Neighbor b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id);
    }

    /// <summary>The exact distance of the metric between two full-precision vectors (what exact search and re-ranking use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float ExactDistance(float* q, float* v) =>
        _cosine ? 1f - VectorDistance.Dot(ref *q, ref *v, Dimension) : VectorDistance.SquaredL2(ref *q, ref *v, Dimension);

    /// <summary>Moves to the closest neighbour on one layer until none is closer (never onto <paramref name="exclude"/>).</summary>
    private void Greedy<TSpace>(ref HnswNodes.Generation g, in HnswQuery q, ref int cur, ref float curDist, int level, int exclude)
        where TSpace : struct, IHnswSpace
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            int* list = _nodes.List(g, cur, level);
            int count = Math.Min(Volatile.Read(ref list[0]), _m);
            for (int j = 1; j <= count; j++)
            {
                int n = list[j];
                if ((uint)n >= (uint)g.Capacity) g = _nodes.Current;
                if (n == exclude) continue;
                // Only a closer node matters, so the kernel may stop once its partial sum reaches curDist.
                float d = TSpace.DistanceBelow(q, _nodes.Node(g, n), Dimension, curDist);
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
    /// Beam search on one layer; leaves up to ef nearest admitted slots in ctx.Results (slots not admitted still
    /// route). Returns false when it stopped after maxVisits distance evaluations.
    /// </summary>
    private bool SearchLayer<TSpace, TAdmit>(ref HnswNodes.Generation g, SearchContext ctx, in HnswQuery q, int entry, float entryDist, int ef,
        int level, SearchFilter? filter, int maxVisits, int exclude)
        where TSpace : struct, IHnswSpace
        where TAdmit : struct, IAdmission
    {
        ctx.Reset(g.Capacity);
        var candidates = ctx.Candidates;
        var results = ctx.Results;
        ref ushort marks = ref MemoryMarshal.GetArrayDataReference(ctx.Marks);
        ushort generation = ctx.Generation;
        int maxLinks = level == 0 ? _maxM0 : _m;
        int dim = Dimension;
        // The hot loop reads the node layout from locals, not through object fields.
        var nodes = _nodes;
        nint* bases = g.Bases;
        int shift = nodes.Shift, mask = g.Mask, stride = nodes.Stride, capacity = g.Capacity, listOffset = nodes.ListOffset;
        int prefetch = Math.Min(PrefetchBytes, nodes.VectorBytes);
        int visits = 1;
        Unsafe.Add(ref marks, entry) = generation;
        float bound = float.MaxValue;
        if (TAdmit.Admit(nodes, nodes.Node(g, entry), entry, exclude, filter))
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
            int* list = level == 0
                ? (int*)((byte*)bases[c >> shift] + (nint)(c & mask) * stride + listOffset)
                : nodes.List(g, c, level);
            int count = Math.Min(Volatile.Read(ref list[0]), maxLinks);
            int* links = list + 1;
            if (Sse.IsSupported)
            {
                for (int j = 0; j < Math.Min(count, Ahead); j++)
                {
                    int first = Math.Min(links[j], capacity - 1);
                    Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref marks, first)));
                    byte* pn = (byte*)bases[first >> shift] + (nint)(first & mask) * stride;
                    for (int line = 0; line < prefetch; line += 64) Sse.Prefetch0(pn + line);
                }
            }
            for (int j = 0; j < count; j++)
            {
                int n = links[j];
                if ((uint)n >= (uint)capacity)
                {
                    g = nodes.Current;
                    bases = g.Bases;
                    mask = g.Mask;
                    capacity = g.Capacity;
                    ctx.Grow(capacity);
                    marks = ref MemoryMarshal.GetArrayDataReference(ctx.Marks);
                }
                if (j + Ahead < count && Sse.IsSupported)
                {
                    int next = Math.Min(links[j + Ahead], capacity - 1);
                    if (Unsafe.Add(ref marks, next) != generation)
                    {
                        byte* pn = (byte*)bases[next >> shift] + (nint)(next & mask) * stride;
                        for (int line = 0; line < prefetch; line += 64) Sse.Prefetch0(pn + line);
                    }
                }
                ref ushort mark = ref Unsafe.Add(ref marks, n);
                if (mark == generation) continue;
                mark = generation;
                if (++visits > maxVisits) return false;
                byte* node = (byte*)bases[n >> shift] + (nint)(n & mask) * stride;
                // Once the beam is full a node only matters if it beats the bound: the kernel may stop reading early.
                float d = results.Count >= ef ? TSpace.DistanceBelow(q, node, dim, bound) : TSpace.Distance(q, node, dim);
                if (results.Count < ef || d < bound)
                {
                    candidates.Push(-d, n);
                    if (Sse.IsSupported && level == 0) Sse.Prefetch0(node + listOffset);
                    if (TAdmit.Admit(nodes, node, n, exclude, filter)) results.Push(d, n);
                    if (results.Count > ef) results.Pop();
                    if (results.Count > 0) bound = results.TopKey;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// How many nodes a filtered graph walk may visit before a scan is cheaper; 0 = scan right away. Costs are in
    /// distance evaluations: a scan evaluates the predicate on every slot (about a quarter of a distance) and the
    /// distance of every match; a filtered walk needs about <see cref="VisitsPerBeam"/> x beam / selectivity visits,
    /// each dearer than a scanned row (random access), so the budget caps a wrong estimate at about three scans.
    /// </summary>
    private int FilteredVisitBudget(HnswNodes.Generation g, int used, int live, SearchFilter filter, int k, int beam)
    {
        if (live == 0) return 0;
        double matches = Math.Min(filter.EstimatedMatches ?? EstimateMatches(g, used, live, filter), live);
        if (matches <= k) return 0;
        double scan = used * 0.25 + matches;
        double walk = VisitsPerBeam * beam * (live / matches);
        return walk > scan ? 0 : (int)Math.Min(int.MaxValue, Math.Max(scan, 2 * walk) + beam);
    }

    private const double VisitsPerBeam = 20;

    /// <summary>How many neighbours ahead the layer search prefetches (measured: 3-8 all beat 1, hnswlib's choice).</summary>
    private const int Ahead = 4;

    /// <summary>How much of a neighbour's vector is prefetched; the hardware streams the rest of longer vectors.</summary>
    private const int PrefetchBytes = 512;



    /// <summary>Live items passing the filter, estimated from up to 256 evenly spaced slots.</summary>
    private double EstimateMatches(HnswNodes.Generation g, int used, int live, SearchFilter filter)
    {
        int step = Math.Max(1, used / 256), seen = 0, hits = 0;
        for (int slot = 0; slot < used; slot += step)
        {
            byte* node = _nodes.Node(g, slot);
            if (Volatile.Read(ref *_nodes.State(node)) != HnswNodes.Live) continue;
            seen++;
            if (filter.Matches(*_nodes.Id(node))) hits++;
        }
        return seen == 0 ? live : (double)live * hits / seen;
    }

    /// <summary>
    /// Brute force over the full-precision vectors: the k nearest live slots passing the filter, ties by smaller id.
    /// A slot deleted, replaced or rewritten while the scan ran is dropped at the end (so an id never appears twice);
    /// if that leaves fewer than k, the scan runs again.
    /// </summary>
    private Neighbor[] Scan<TSpace>(SearchContext ctx, int k, SearchFilter? filter) where TSpace : struct, IHnswSpace
    {
        var top = new TopKCollector(k);
        for (int attempt = 0; ; attempt++)
        {
            long started = Volatile.Read(ref _rewritesStarted), finished = Volatile.Read(ref _rewritesFinished);
            var g = _nodes.Current;
            int used = Math.Min(Volatile.Read(ref _used), g.Capacity);
            top.Clear();
            for (int slot = 0; slot < used; slot++)
            {
                byte* node = _nodes.Node(g, slot);
                if (Volatile.Read(ref *_nodes.State(node)) != HnswNodes.Live) continue;
                long id = *_nodes.Id(node);
                if (filter is not null && !filter.Matches(id)) continue;
                top.Offer(ExactDistance(ctx.QueryPtr, FullVector(g, slot)), id, slot);
            }
            var pairs = top.ToSortedPairs();
            ctx.EnsureScratch(pairs.Length);
            for (int i = 0; i < pairs.Length; i++) ctx.Scratch[i] = (pairs[i].Item.Distance, pairs[i].Tag);
            var kept = Finish(g, ctx, pairs.Length, k, filter, started, finished);
            if (kept.Length == pairs.Length || attempt == 2) return kept;
        }
    }

    /// <summary>Which slots a layer search may return (the others still route).</summary>
    private interface IAdmission
    {
        static abstract bool Admit(HnswNodes nodes, byte* node, int slot, int exclude, SearchFilter? filter);
    }

    /// <summary>Searches while no slot is deleted: every slot (the few still being inserted are dropped afterwards).</summary>
    private readonly struct AnySlot : IAdmission
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Admit(HnswNodes nodes, byte* node, int slot, int exclude, SearchFilter? filter) => true;
    }

    /// <summary>Searches: live slots only.</summary>
    private readonly struct LiveOnly : IAdmission
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Admit(HnswNodes nodes, byte* node, int slot, int exclude, SearchFilter? filter) => *nodes.State(node) == HnswNodes.Live;
    }

    /// <summary>Filtered searches: live slots whose id passes the filter.</summary>
    private readonly struct Filtered : IAdmission
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Admit(HnswNodes nodes, byte* node, int slot, int exclude, SearchFilter? filter) =>
            *nodes.State(node) == HnswNodes.Live && filter!.Matches(*nodes.Id(node));
    }

    /// <summary>Inserts: live and pending slots (not deleted ones, which are due for reuse), never the slot being inserted.</summary>
    private readonly struct Construction : IAdmission
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Admit(HnswNodes nodes, byte* node, int slot, int exclude, SearchFilter? filter) =>
            slot != exclude && *nodes.State(node) is HnswNodes.Live or HnswNodes.Pending;
    }
}
