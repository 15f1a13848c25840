using System.Numerics;
using System.Runtime.CompilerServices;

namespace Retrieval.Core.Search;

/// <summary>
/// The memory of an HNSW graph: one block per slot holding its stored vector, a small header, its id and its
/// layer-0 link list (hnswlib's layout), plus per-slot arrays of upper-layer link lists.
/// </summary>
/// <remarks>
/// Block: [vector (VectorBytes, padded to 4)][state byte | level byte | 2 spare | version int][id long]
/// [layer-0 list: count int, links int x 2M]. Every link list, upper ones included, is [count, links...].
/// Blocks live in pinned chunks of 2^Shift slots that never move once allocated, so
/// growing adds chunks without copying. While the index is smaller than one chunk, the single chunk grows by copy
/// into a new <see cref="Generation"/> (the old one is never written again, so readers holding it stay consistent).
/// Readers that meet a slot beyond their generation's capacity re-read <see cref="Current"/>.
/// </remarks>
internal sealed unsafe class HnswNodes
{
    /// <summary>State of a slot that was never written (or is being written for the first time): no valid links.</summary>
    public const byte Unused = 0;

    /// <summary>State of a slot being linked in: a neighbour for other inserts, never returned by searches.</summary>
    public const byte Pending = 1;

    /// <summary>State of a slot whose id is live.</summary>
    public const byte Live = 2;

    /// <summary>State of a deleted or replaced slot: it still routes searches until it is reused, and is never returned.</summary>
    public const byte Deleted = 3;

    private const int ChunkBytes = 32 << 20;

    public readonly int Dimension;
    public readonly int M;
    public readonly int MaxM0;
    public readonly int VectorBytes;
    public readonly int HeaderOffset;
    public readonly int ListOffset;
    public readonly int Stride;
    public readonly int Shift;
    public readonly int UpperStride;
    private volatile Generation _current;

    public HnswNodes(int dimension, int m, int vectorBytes, int initialCapacity)
    {
        Dimension = dimension;
        M = m;
        MaxM0 = 2 * m;
        VectorBytes = vectorBytes;
        HeaderOffset = (vectorBytes + 3) & ~3;
        ListOffset = HeaderOffset + 16;
        Stride = (ListOffset + (1 + MaxM0) * sizeof(int) + 7) & ~7;
        UpperStride = 1 + m;
        Shift = Math.Min(BitOperations.Log2((uint)Math.Max(1, ChunkBytes / Stride)), 24);
        _current = Generation.Create(this, Math.Min(Math.Max(1, initialCapacity), 1 << Shift));
    }

    /// <summary>The newest generation; writers only ever write through it.</summary>
    public Generation Current => _current;

    /// <summary>Allocated slots of the newest generation.</summary>
    public int Capacity => _current.Capacity;

    /// <summary>Makes room for at least <paramref name="needed"/> slots. Callers hold the index's grow lock exclusively.</summary>
    public void Grow(int needed)
    {
        var g = _current;
        if (g.Capacity >= needed) return;
        int chunk = 1 << Shift;
        if (g.Capacity < chunk)
        {
            int size = (int)Math.Min(chunk, Math.Max(needed, 2L * g.Capacity));
            _current = g.CopyFirstChunk(this, size);
            if (size >= needed) return;
            g = _current;
        }
        int chunks = (int)(((long)needed + chunk - 1) >> Shift);
        _current = g.AddChunks(this, chunks);
    }

    /// <summary>Pointer to a slot's block in a generation (the slot must be below its capacity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Node(Generation g, int slot) => (byte*)g.Bases[slot >> Shift] + (nint)(slot & g.Mask) * Stride;

    /// <summary>The state byte of a block (<see cref="Unused"/>, <see cref="Pending"/>, <see cref="Live"/>, <see cref="Deleted"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* State(byte* node) => node + HeaderOffset;

    /// <summary>The level byte of a block (its top layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Level(byte* node) => node + HeaderOffset + 1;

    /// <summary>The version of a block: odd while its vector and id are being rewritten.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* Version(byte* node) => (int*)(node + HeaderOffset + 4);

    /// <summary>The caller's id stored in a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long* Id(byte* node) => (long*)(node + HeaderOffset + 8);

    /// <summary>The layer-0 list [count, links...] of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* List0(byte* node) => (int*)(node + ListOffset);

    /// <summary>The [count, links...] list of a slot on a layer (0 = the base layer; upper layers 1..level).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* List(Generation g, int slot, int level) =>
        level == 0
            ? List0(Node(g, slot))
            : (int*)Unsafe.AsPointer(ref g.Upper[slot >> Shift][slot & g.Mask]![(level - 1) * UpperStride]);

    /// <summary>Gives a slot its upper-layer lists (all empty, pinned so they can be read through pointers), or none for level 0.</summary>
    public void SetLevel(Generation g, int slot, int level) =>
        g.Upper[slot >> Shift][slot & g.Mask] = level > 0 ? GC.AllocateArray<int>(level * UpperStride, pinned: true) : null;

    /// <summary>One set of chunks; immutable apart from the block contents and upper arrays writers fill in.</summary>
    public sealed class Generation
    {
        public readonly int Capacity;
        public readonly int Mask;
        public readonly nint* Bases;
        public readonly int[]?[][] Upper;
        private readonly HnswChunk[] _chunks;
        private readonly nint[] _bases;

        private Generation(int shift, HnswChunk[] chunks, nint[] bases, int[]?[][] upper, int capacity)
        {
            _chunks = chunks;
            _bases = bases;
            Upper = upper;
            Capacity = capacity;
            Mask = (1 << shift) - 1;
            Bases = (nint*)Unsafe.AsPointer(ref bases[0]);
        }

        public static Generation Create(HnswNodes n, int firstChunkSlots)
        {
            var first = HnswChunk.Allocate((long)firstChunkSlots * n.Stride);
            var bases = GC.AllocateArray<nint>(1, pinned: true);
            bases[0] = first.Base;
            return new Generation(n.Shift, [first], bases, [new int[]?[firstChunkSlots]], firstChunkSlots);
        }

        /// <summary>A generation whose single chunk is a larger copy of this one's (upper lists cloned).</summary>
        public Generation CopyFirstChunk(HnswNodes n, int slots)
        {
            var chunk = HnswChunk.Allocate((long)slots * n.Stride);
            nint b = chunk.Base;
            new ReadOnlySpan<byte>((void*)Bases[0], Capacity * n.Stride).CopyTo(new Span<byte>((void*)b, Capacity * n.Stride));
            var upper = new int[]?[slots];
            for (int i = 0; i < Capacity; i++)
            {
                if (Upper[0][i] is not { } u) continue;
                upper[i] = GC.AllocateArray<int>(u.Length, pinned: true);
                u.AsSpan().CopyTo(upper[i]);
            }
            var bases = GC.AllocateArray<nint>(1, pinned: true);
            bases[0] = b;
            return new Generation(n.Shift, [chunk], bases, [upper], slots);
        }

        /// <summary>A generation with this one's full-size chunks (shared, not copied) and new ones up to the count.</summary>
        public Generation AddChunks(HnswNodes n, int count)
        {
            int size = 1 << n.Shift;
            var chunks = new HnswChunk[count];
            var upper = new int[]?[count][];
            var bases = GC.AllocateArray<nint>(count, pinned: true);
            int have = _chunks.Length;
            Array.Copy(_chunks, chunks, have);
            Array.Copy(Upper, upper, have);
            new ReadOnlySpan<nint>(Bases, have).CopyTo(bases);
            for (int c = have; c < count; c++)
            {
                chunks[c] = HnswChunk.Allocate((long)size * n.Stride);
                bases[c] = chunks[c].Base;
                upper[c] = new int[]?[size];
            }
            return new Generation(n.Shift, chunks, bases, upper, count * size);
        }
    }
}
