namespace Retrieval.Core.Search;

/// <summary>Insertion: writing a slot, linking it in with hnswlib's heuristic, and re-linking around a reused slot.</summary>
public sealed unsafe partial class HnswIndex
{
    private void Insert(float* vector, long id, int slot)
    {
        switch (Options.Storage, _cosine)
        {
            case (VectorStorage.Float32, false): Insert<HnswSpaces.L2F32>(vector, id, slot); break;
            case (VectorStorage.Float32, true): Insert<HnswSpaces.CosineF32>(vector, id, slot); break;
            case (VectorStorage.Float16, false): Insert<HnswSpaces.L2F16>(vector, id, slot); break;
            case (VectorStorage.Float16, true): Insert<HnswSpaces.CosineF16>(vector, id, slot); break;
            case (VectorStorage.Int8, false): Insert<HnswSpaces.L2Int8>(vector, id, slot); break;
            default: Insert<HnswSpaces.CosineInt8>(vector, id, slot); break;
        }
    }

    private void Insert<TSpace>(float* vector, long id, int slot) where TSpace : struct, IHnswSpace
    {
        _growLock.EnterReadLock();
        var ctx = RentContext();
        try
        {
            var g = _nodes.Current;
            byte* node = _nodes.Node(g, slot);
            var v = new Span<float>(ctx.QueryPtr, Dimension);
            HnswDimensionOrder.ToStored(_order, new ReadOnlySpan<float>(vector, Dimension), v);
            if (_cosine) Normalize(v);
            var query = QueryOf<TSpace>(ctx.QueryPtr);
            int level;
            if (*_nodes.State(node) != HnswNodes.Unused)
            {
                level = *_nodes.Level(node);
                Unlink<TSpace>(g, ctx, slot, level);
                Rewrite(g, node, slot, level, v, id);
            }
            else
            {
                level = LevelFor(slot);
                WriteVector(node, slot, v);
                *_nodes.Id(node) = id;
                *_nodes.Level(node) = (byte)level;
                _nodes.SetLevel(g, slot, level);
            }
            Volatile.Write(ref *_nodes.State(node), HnswNodes.Pending);

            long entry = Volatile.Read(ref _entry);
            if (entry < 0)
            {
                lock (_entryLock)
                {
                    entry = _entry;
                    if (entry < 0)
                    {
                        Publish(g, slot, id);
                        Volatile.Write(ref _entry, ((long)level << 32) | (uint)slot);
                        return;
                    }
                }
            }
            int top = (int)(entry >> 32);
            int cur = (int)entry;
            float curDist = TSpace.Distance(query, _nodes.Node(g, cur), Dimension);
            for (int l = top; l > level; l--) Greedy<TSpace>(ref g, query, ref cur, ref curDist, l, slot);
            // Write the slot's own lists on every layer first, then the reverse links: nothing reaches a new slot
            // before all of its lists exist, so a search never lands on a half-linked slot.
            var chosen = new int[Math.Min(level, top) + 1][];
            for (int l = chosen.Length - 1; l >= 0; l--)
            {
                SearchLayer<TSpace, Construction>(ref g, ctx, query, cur, curDist, Options.EfConstruction, l, null, int.MaxValue, slot);
                chosen[l] = SelectForNewNode<TSpace>(g, ctx);
                SetLinks<TSpace>(g, ctx, slot, l, chosen[l]);
                if (chosen[l].Length > 0) (cur, curDist) = (chosen[l][0], TSpace.Distance(query, _nodes.Node(g, chosen[l][0]), Dimension));
            }
            for (int l = 0; l < chosen.Length; l++)
                foreach (int other in chosen[l]) SetLinks<TSpace>(g, ctx, other, l, [slot]);
            Publish(g, slot, id);
            if (level > top)
            {
                lock (_entryLock)
                {
                    if (level > (int)(_entry >> 32)) Volatile.Write(ref _entry, ((long)level << 32) | (uint)slot);
                }
            }
        }
        finally
        {
            Return(ctx);
            _growLock.ExitReadLock();
        }
    }

    /// <summary>Stores a slot's vector: encoded in its block, and in full precision beside it for quantised storage.</summary>
    private void WriteVector(byte* node, int slot, ReadOnlySpan<float> v)
    {
        switch (Options.Storage)
        {
            case VectorStorage.Float16: QuantizedVectors.EncodeHalf(v, (Half*)node); break;
            case VectorStorage.Int8: QuantizedVectors.EncodeBytes(v, node); break;
            default: v.CopyTo(new Span<float>(node, Dimension)); break;
        }
        _raw?.Set(slot, v);
    }

    /// <summary>Gives a reused slot its new vector and id under an odd version; its lists are emptied (level kept).</summary>
    private void Rewrite(HnswNodes.Generation g, byte* node, int slot, int level, ReadOnlySpan<float> v, long id)
    {
        Interlocked.Increment(ref _rewritesStarted);
        int* version = _nodes.Version(node);
        Volatile.Write(ref *version, *version + 1);
        WriteVector(node, slot, v);
        *_nodes.Id(node) = id;
        for (int l = 0; l <= level; l++) Volatile.Write(ref *_nodes.List(g, slot, l), 0);
        Volatile.Write(ref *version, *version + 1);
        Interlocked.Increment(ref _rewritesFinished);
    }

    /// <summary>
    /// Before a deleted slot is reused: every neighbour that links back to it gets its list re-chosen (heuristic) from
    /// its other links plus the slot's links, so the graph stays connected around the slot (hnswlib's updatePoint idea).
    /// </summary>
    private void Unlink<TSpace>(HnswNodes.Generation g, SearchContext ctx, int slot, int level) where TSpace : struct, IHnswSpace
    {
        for (int l = 0; l <= level; l++)
        {
            int maxM = l == 0 ? _maxM0 : _m;
            int[] around;
            lock (_nodeLocks[slot & (LockStripes - 1)])
            {
                int* list = _nodes.List(g, slot, l);
                around = new ReadOnlySpan<int>(list + 1, Math.Min(list[0], maxM)).ToArray();
            }
            foreach (int n in around)
            {
                if (n == slot || *_nodes.State(_nodes.Node(g, n)) is HnswNodes.Unused) continue;
                lock (_nodeLocks[n & (LockStripes - 1)])
                {
                    int* list = _nodes.List(g, n, l);
                    var links = new ReadOnlySpan<int>(list + 1, Math.Min(list[0], maxM));
                    if (!links.Contains(slot)) continue;
                    var query = NodeQuery<TSpace>(g, n, ctx.DecodedPtr);
                    ctx.EnsureScratch(links.Length + around.Length);
                    var scratch = ctx.Scratch;
                    int count = 0;
                    foreach (int c in links)
                        if (c != slot) scratch[count++] = (TSpace.Distance(query, _nodes.Node(g, c), Dimension), c);
                    foreach (int c in around)
                        if (c != slot && c != n && *_nodes.State(_nodes.Node(g, c)) is HnswNodes.Live or HnswNodes.Pending && !links.Contains(c))
                            scratch[count++] = (TSpace.Distance(query, _nodes.Node(g, c), Dimension), c);
                    scratch.AsSpan(0, count).Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
                    int kept = SelectNeighbors<TSpace>(g, ctx, count, maxM);
                    for (int i = 0; i < kept; i++) list[1 + i] = ctx.Selected[i].Label;
                    Volatile.Write(ref list[0], kept);
                }
            }
        }
    }

    private void Publish(HnswNodes.Generation g, int slot, long id)
    {
        lock (_idLock)
        {
            int old = _map.Set(id, slot);
            if (old >= 0)
            {
                Volatile.Write(ref *_nodes.State(_nodes.Node(g, old)), HnswNodes.Deleted);
                _free.Push(old);
            }
            Volatile.Write(ref *_nodes.State(_nodes.Node(g, slot)), HnswNodes.Live);
            _live = _map.Count;
            _deletedSlots = _free.Count;
        }
    }

    private int LevelFor(int slot)
    {
        ulong z = (ulong)(Options.Seed + slot) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53)); // (0, 1]
        return Math.Min((int)(-Math.Log(u) * _levelMultiplier), 63);
    }

    /// <summary>The new slot's neighbours on one layer, closest first, chosen by the heuristic from the beam in ctx.Results.</summary>
    private int[] SelectForNewNode<TSpace>(HnswNodes.Generation g, SearchContext ctx) where TSpace : struct, IHnswSpace
    {
        var results = ctx.Results;
        int n = results.Count;
        ctx.EnsureScratch(n);
        var scratch = ctx.Scratch;
        for (int i = n - 1; i >= 0; i--, results.Pop()) scratch[i] = (results.TopKey, results.TopLabel);
        int chosen = SelectNeighbors<TSpace>(g, ctx, n, _m);
        var labels = new int[chosen];
        for (int i = 0; i < chosen; i++) labels[i] = ctx.Selected[i].Label;
        return labels;
    }

    /// <summary>Adds links from a slot under its lock, re-pruning with the heuristic when the list would overflow.</summary>
    private void SetLinks<TSpace>(HnswNodes.Generation g, SearchContext ctx, int node, int level, ReadOnlySpan<int> add) where TSpace : struct, IHnswSpace
    {
        int maxM = level == 0 ? _maxM0 : _m;
        lock (_nodeLocks[node & (LockStripes - 1)])
        {
            int* list = _nodes.List(g, node, level);
            int count = list[0];
            var links = new Span<int>(list + 1, maxM);
            Span<int> fresh = stackalloc int[add.Length];
            int f = 0;
            foreach (int a in add)
                if (!links[..count].Contains(a)) fresh[f++] = a;
            ReadOnlySpan<int> toAdd = fresh[..f];
            if (count + toAdd.Length <= maxM)
            {
                for (int i = 0; i < toAdd.Length; i++) links[count + i] = toAdd[i];
                Volatile.Write(ref list[0], count + toAdd.Length);
                return;
            }
            var query = NodeQuery<TSpace>(g, node, ctx.DecodedPtr);
            ctx.EnsureScratch(count + toAdd.Length);
            var scratch = ctx.Scratch;
            int n = 0;
            for (int i = 0; i < count; i++) scratch[n++] = (TSpace.Distance(query, _nodes.Node(g, links[i]), Dimension), links[i]);
            foreach (int a in toAdd) scratch[n++] = (TSpace.Distance(query, _nodes.Node(g, a), Dimension), a);
            scratch.AsSpan(0, n).Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            int kept = SelectNeighbors<TSpace>(g, ctx, n, maxM);
            for (int i = 0; i < kept; i++) links[i] = ctx.Selected[i].Label;
            Volatile.Write(ref list[0], kept);
        }
    }

    /// <summary>
    /// hnswlib's heuristic over ctx.Scratch[0..n) (sorted by distance) into ctx.Selected: walk candidates closest first
    /// and keep one only if no kept neighbour is closer to it than the base node is; with at most max candidates all are kept.
    /// </summary>
    private int SelectNeighbors<TSpace>(HnswNodes.Generation g, SearchContext ctx, int n, int max) where TSpace : struct, IHnswSpace
    {
        var sorted = ctx.Scratch;
        var kept = ctx.Selected;
        if (n <= max)
        {
            Array.Copy(sorted, kept, n);
            return n;
        }
        int count = 0;
        for (int i = 0; i < n && count < max; i++)
        {
            var (d, c) = sorted[i];
            var candidate = NodeQuery<TSpace>(g, c, ctx.CandidatePtr);
            bool good = true;
            for (int j = 0; j < count; j++)
            {
                if (TSpace.Distance(candidate, _nodes.Node(g, kept[j].Label), Dimension) < d)
                {
                    good = false;
                    break;
                }
            }
            if (good) kept[count++] = (d, c);
        }
        return count;
    }

    /// <summary>A query made of a stored slot's vector (decoded into <paramref name="buffer"/> unless stored as f32).</summary>
    private HnswQuery NodeQuery<TSpace>(HnswNodes.Generation g, int slot, float* buffer) where TSpace : struct, IHnswSpace
    {
        byte* node = _nodes.Node(g, slot);
        if (TSpace.Storage == VectorStorage.Float32) return new HnswQuery((float*)node, 0, 0);
        var span = new Span<float>(buffer, Dimension);
        if (TSpace.Storage == VectorStorage.Float16) QuantizedVectors.DecodeHalf((Half*)node, span);
        else QuantizedVectors.DecodeBytes(node, span);
        return QueryOf<TSpace>(buffer);
    }

    /// <summary>A float vector as the space's kernels take it (with the sums only the byte-coded kernels need).</summary>
    private HnswQuery QueryOf<TSpace>(float* values) where TSpace : struct, IHnswSpace =>
        TSpace.Storage == VectorStorage.Int8 ? HnswQuery.Of(values, Dimension) : new HnswQuery(values, 0, 0);
}
