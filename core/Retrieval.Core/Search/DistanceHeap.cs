using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Retrieval.Core.Search;

/// <summary>
/// A reusable binary max-heap of (key, slot) pairs stored side by side; push -distance to use it as a min-heap.
/// Sift loops index through refs (the heap's own bookkeeping keeps every index below Count).
/// </summary>
internal sealed class DistanceHeap
{
    private Entry[] _items = new Entry[64];

    public int Count { get; private set; }

    public float TopKey => _items[0].Key;

    public int TopLabel => _items[0].Slot;

    public void Clear() => Count = 0;

    /// <summary>The i-th stored pair in heap order (0 = top).</summary>
    public (float Key, int Slot) this[int i] => (_items[i].Key, _items[i].Slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float key, int slot)
    {
        if (Count == _items.Length) Grow();
        ref Entry items = ref MemoryMarshal.GetArrayDataReference(_items);
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            ref Entry p = ref Unsafe.Add(ref items, parent);
            if (p.Key >= key) break;
            Unsafe.Add(ref items, i) = p;
            i = parent;
        }
        Unsafe.Add(ref items, i) = new Entry(key, slot);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Pop()
    {
        int n = --Count;
        if (n == 0) return;
        ref Entry items = ref MemoryMarshal.GetArrayDataReference(_items);
        var last = Unsafe.Add(ref items, n);
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Unsafe.Add(ref items, child + 1).Key > Unsafe.Add(ref items, child).Key) child++;
            ref Entry c = ref Unsafe.Add(ref items, child);
            if (c.Key <= last.Key) break;
            Unsafe.Add(ref items, i) = c;
            i = child;
        }
        Unsafe.Add(ref items, i) = last;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow() => Array.Resize(ref _items, _items.Length * 2);

    private readonly record struct Entry(float Key, int Slot);
}
