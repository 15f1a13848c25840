namespace Retrieval.Core.Search;

/// <summary>
/// Keeps the k smallest (distance, id) pairs seen, ordered lexicographically so ties go to the smaller id;
/// a bounded max-heap whose root is the worst kept pair. Each pair may carry an int tag (e.g. the slot it came from).
/// </summary>
internal sealed class TopKCollector(int k)
{
    private readonly float[] _distances = new float[k];
    private readonly long[] _ids = new long[k];
    private readonly int[] _tags = new int[k];
    private int _count;

    public int Count => _count;

    public void Clear() => _count = 0;

    public void Offer(float distance, long id, int tag = 0)
    {
        if (_count < k)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(distance, id, _distances[parent], _ids[parent])) break;
                Move(parent, i);
                i = parent;
            }
            Set(i, distance, id, tag);
            return;
        }
        if (k == 0 || !Worse(_distances[0], _ids[0], distance, id)) return;
        SiftDownFromRoot(distance, id, tag);
    }

    /// <summary>The kept pairs, closest first.</summary>
    public Neighbor[] ToSortedArray() => Array.ConvertAll(ToSortedPairs(), p => p.Item);

    /// <summary>The kept pairs with their tags, closest first.</summary>
    public (Neighbor Item, int Tag)[] ToSortedPairs()
    {
        var result = new (Neighbor Item, int Tag)[_count];
        for (int i = 0; i < _count; i++) result[i] = (new Neighbor(_ids[i], _distances[i]), _tags[i]);
        Array.Sort(result, static (a, b) => a.Item.Distance != b.Item.Distance ? a.Item.Distance.CompareTo(b.Item.Distance) : a.Item.Id.CompareTo(b.Item.Id));
        return result;
    }

    private static bool Worse(float d1, long i1, float d2, long i2) => d1 > d2 || (d1 == d2 && i1 > i2);

    private void Move(int from, int to) => Set(to, _distances[from], _ids[from], _tags[from]);

    private void Set(int i, float distance, long id, int tag)
    {
        _distances[i] = distance;
        _ids[i] = id;
        _tags[i] = tag;
    }

    private void SiftDownFromRoot(float distance, long id, int tag)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Worse(_distances[child + 1], _ids[child + 1], _distances[child], _ids[child])) child++;
            if (!Worse(_distances[child], _ids[child], distance, id)) break;
            Move(child, i);
            i = child;
        }
        Set(i, distance, id, tag);
    }
}
