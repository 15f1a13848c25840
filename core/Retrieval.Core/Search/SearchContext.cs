using System.Runtime.InteropServices;

namespace Retrieval.Core.Search;

/// <summary>
/// Per-thread scratch space of one HNSW index: a visited table with generation counters (no clearing and no
/// allocation per visited node), the candidate and result heaps, neighbour-selection buffers and float buffers
/// for the query and for decoded vectors.
/// </summary>
internal sealed unsafe class SearchContext
{
    private ushort[] _marks = [];
    private ushort _generation;

    public SearchContext(int dimension)
    {
        Query = GC.AllocateArray<float>(dimension, pinned: true);
        Decoded = GC.AllocateArray<float>(dimension, pinned: true);
        Candidate = GC.AllocateArray<float>(dimension, pinned: true);
        QueryPtr = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(Query, 0);
        DecodedPtr = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(Decoded, 0);
        CandidatePtr = (float*)Marshal.UnsafeAddrOfPinnedArrayElement(Candidate, 0);
    }

    /// <summary>Whether a search or insert is using this context (a filter calling back into the index gets its own).</summary>
    public bool InUse;

    /// <summary>Visited marks, one per slot; a slot is visited when its mark equals <see cref="Generation"/>.</summary>
    public ushort[] Marks => _marks;

    /// <summary>The mark of the current traversal.</summary>
    public ushort Generation => _generation;

    public readonly DistanceHeap Candidates = new();
    public readonly DistanceHeap Results = new();
    public (float Distance, int Label)[] Scratch = new (float, int)[64];
    public (float Distance, int Label)[] Selected = new (float, int)[64];

    /// <summary>Results being assembled before they are copied out.</summary>
    public Neighbor[] Found = new Neighbor[64];

    /// <summary>The query (or inserted vector) as floats, pinned.</summary>
    public readonly float[] Query;
    public readonly float* QueryPtr;

    /// <summary>A decoded stored vector (the base node of a neighbour selection), pinned.</summary>
    public readonly float[] Decoded;
    public readonly float* DecodedPtr;

    /// <summary>A second decoded vector (the candidate the heuristic is looking at), pinned.</summary>
    public readonly float[] Candidate;
    public readonly float* CandidatePtr;

    /// <summary>Starts a new traversal over a graph of the given capacity.</summary>
    public void Reset(int capacity)
    {
        Grow(capacity);
        if (++_generation == 0)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
        Candidates.Clear();
        Results.Clear();
    }

    /// <summary>Keeps the current traversal's marks and makes room for a larger graph.</summary>
    public void Grow(int capacity)
    {
        if (_marks.Length < capacity) Array.Resize(ref _marks, Math.Max(capacity, _marks.Length + _marks.Length / 2));
    }

    /// <summary>Makes both selection buffers hold at least n pairs.</summary>
    public void EnsureScratch(int n)
    {
        if (Scratch.Length < n) Scratch = new (float, int)[Math.Max(n, Scratch.Length * 2)];
        if (Selected.Length < n) Selected = new (float, int)[Math.Max(n, Selected.Length * 2)];
    }
}
