namespace Retrieval.Core.Search;

/// <summary>
/// Per-search scratch space reused through a pool: a visited table with generation counters (no clearing
/// and no allocation per visited node), the candidate and result heaps, and neighbour-selection buffers.
/// </summary>
internal sealed class SearchContext
{
    private ushort[] _marks = [];
    private ushort _generation;

    /// <summary>Visited marks, one per slot; a slot is visited when its mark equals <see cref="Generation"/>.</summary>
    public ushort[] Marks => _marks;

    /// <summary>The mark of the current traversal.</summary>
    public ushort Generation => _generation;

    public readonly DistanceHeap Candidates = new();
    public readonly DistanceHeap Results = new();
    public (float Distance, int Label)[] Scratch = new (float, int)[64];
    public (float Distance, int Label)[] Selected = new (float, int)[64];

    /// <summary>Starts a new traversal over a graph of the given capacity.</summary>
    public void Reset(int capacity)
    {
        if (_marks.Length < capacity)
        {
            _marks = new ushort[capacity];
            _generation = 0;
        }
        if (++_generation == 0)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
        Candidates.Clear();
        Results.Clear();
    }

    /// <summary>Makes both selection buffers hold at least n pairs.</summary>
    public void EnsureScratch(int n)
    {
        if (Scratch.Length < n) Scratch = new (float, int)[Math.Max(n, Scratch.Length * 2)];
        if (Selected.Length < n) Selected = new (float, int)[Math.Max(n, Selected.Length * 2)];
    }
}
