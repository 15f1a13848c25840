namespace Retrieval.Core.Search;

/// <summary>
/// One fixed-capacity generation of an HNSW graph: a contiguous vector buffer, flat layer-0 link lists,
/// per-node upper-layer link arrays, ids, levels and deleted marks. A link list is [count, label...].
/// The index swaps in a larger copy when full; searches that hold an older generation keep reading it
/// unchanged (writers only ever write to the current generation).
/// </summary>
internal sealed unsafe class HnswStorage
{
    public readonly int Capacity;
    public readonly int Dimension;
    public readonly int M;
    public readonly int Level0Stride;
    public readonly int UpperStride;
    public readonly float[] Vectors;
    public readonly int[] Level0;
    public readonly int[]?[] Upper;
    public readonly long[] Ids;
    public readonly int[] Levels;
    public readonly byte[] Deleted;
    public readonly float* VectorPtr;
    public readonly int* Level0Ptr;

    public HnswStorage(int capacity, int dimension, int m)
    {
        Capacity = capacity;
        Dimension = dimension;
        M = m;
        Level0Stride = 1 + 2 * m;
        UpperStride = 1 + m;
        // Pinned (POH) so the hot search loop can use raw pointers for the lifetime of this generation.
        Vectors = GC.AllocateArray<float>(checked(capacity * dimension), pinned: true);
        Level0 = GC.AllocateArray<int>(checked(capacity * Level0Stride), pinned: true);
        Upper = new int[]?[capacity];
        Ids = new long[capacity];
        Levels = new int[capacity];
        Array.Fill(Levels, -1);
        Deleted = new byte[capacity];
        Array.Fill(Deleted, (byte)1); // a slot is hidden until an insert publishes it
        fixed (float* v = Vectors) VectorPtr = v;
        fixed (int* l = Level0) Level0Ptr = l;
    }

    /// <summary>A larger copy; the upper link arrays are copied too, so this generation is never written again.</summary>
    public HnswStorage Grow(int newCapacity)
    {
        var next = new HnswStorage(newCapacity, Dimension, M);
        Vectors.AsSpan().CopyTo(next.Vectors);
        Level0.AsSpan().CopyTo(next.Level0);
        for (int i = 0; i < Capacity; i++) next.Upper[i] = Upper[i] is { } u ? (int[])u.Clone() : null;
        Ids.AsSpan().CopyTo(next.Ids);
        Levels.AsSpan().CopyTo(next.Levels);
        Deleted.AsSpan().CopyTo(next.Deleted);
        return next;
    }

    /// <summary>Pointer to the vector of a slot.</summary>
    public float* Vector(int label) => VectorPtr + (nint)label * Dimension;

    /// <summary>The link list [count, labels...] of a slot on a layer (layer 0 = the base layer).</summary>
    public Span<int> Links(int label, int level) =>
        level == 0
            ? new Span<int>(Level0Ptr + (nint)label * Level0Stride, Level0Stride)
            : Upper[label].AsSpan((level - 1) * UpperStride, UpperStride);
}
