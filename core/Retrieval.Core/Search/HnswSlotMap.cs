using System.Numerics;

namespace Retrieval.Core.Search;

/// <summary>
/// Id -> slot map of an HNSW index: open addressing over slot numbers only (the id of a slot is read from its
/// block), so an entry costs 4 bytes / load factor instead of a dictionary's ~28. Not thread-safe: the index calls it
/// under its id lock.
/// </summary>
internal sealed unsafe class HnswSlotMap(HnswNodes nodes)
{
    private const int Empty = 0;
    private const int Tombstone = -1;
    private int[] _table = new int[16]; // slot + 1, or Empty / Tombstone
    private int _tombstones;

    /// <summary>Live ids.</summary>
    public int Count { get; private set; }

    /// <summary>The slot of a live id.</summary>
    public bool TryGet(long id, out int slot)
    {
        int i = Find(id);
        slot = i >= 0 ? _table[i] - 1 : -1;
        return i >= 0;
    }

    /// <summary>Maps the id (already written into the slot's block) to the slot; returns the slot it had before, or -1.</summary>
    public int Set(long id, int slot)
    {
        int i = Find(id);
        if (i >= 0)
        {
            int old = _table[i] - 1;
            _table[i] = slot + 1;
            return old;
        }
        if ((Count + _tombstones + 1) * 10L > _table.Length * 7L) Rehash(Math.Max(16, (int)BitOperations.RoundUpToPowerOf2((uint)(Count + 1) * 2)));
        int mask = _table.Length - 1;
        for (int j = Hash(id, mask); ; j = (j + 1) & mask)
        {
            if (_table[j] > 0) continue;
            if (_table[j] == Tombstone) _tombstones--;
            _table[j] = slot + 1;
            Count++;
            return -1;
        }
    }

    /// <summary>Unmaps a live id; returns its slot, or -1 when it is unknown.</summary>
    public int Remove(long id)
    {
        int i = Find(id);
        if (i < 0) return -1;
        int slot = _table[i] - 1;
        _table[i] = Tombstone;
        _tombstones++;
        Count--;
        return slot;
    }

    /// <summary>Makes room for this many ids without rehashing.</summary>
    public void EnsureCapacity(int count)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 10L / 7 + 1));
        if (size > _table.Length) Rehash(size);
    }

    private int Find(long id)
    {
        int mask = _table.Length - 1;
        var g = nodes.Current;
        for (int j = Hash(id, mask); ; j = (j + 1) & mask)
        {
            int entry = _table[j];
            if (entry == Empty) return -1;
            if (entry > 0 && *nodes.Id(nodes.Node(g, entry - 1)) == id) return j;
        }
    }

    private void Rehash(int size)
    {
        var old = _table;
        _table = new int[size];
        _tombstones = 0;
        int mask = size - 1;
        var g = nodes.Current;
        foreach (int entry in old)
        {
            if (entry <= 0) continue;
            int j = Hash(*nodes.Id(nodes.Node(g, entry - 1)), mask);
            while (_table[j] != Empty) j = (j + 1) & mask;
            _table[j] = entry;
        }
    }

    private static int Hash(long id, int mask) => (int)(((ulong)id * 0x9E3779B97F4A7C15UL) >> 33) & mask;
}
