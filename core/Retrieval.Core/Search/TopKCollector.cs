namespace Retrieval.Core.Search;

/// <summary>
/// Keeps the k smallest (distance, id) pairs seen, ordered lexicographically so ties go to the smaller id;
/// a bounded max-heap whose root is the worst kept pair.
/// </summary>
internal sealed class TopKCollector(int k)
{
    private readonly float[] _distances = new float[k];
    private readonly long[] _ids = new long[k];
    private int _count;

    public void Clear() => _count = 0;

    public void Offer(float distance, long id)
    {
        if (_count < k)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(distance, id, _distances[parent], _ids[parent])) break;
                _distances[i] = _distances[parent];
                _ids[i] = _ids[parent];
                i = parent;
            }
            _distances[i] = distance;
            _ids[i] = id;
            return;
        }
        if (k == 0 || !Worse(_distances[0], _ids[0], distance, id)) return;
        SiftDownFromRoot(distance, id);
    }

    /// <summary>The kept pairs, closest first.</summary>
    public Neighbor[] ToSortedArray()
    {
        var result = new Neighbor[_count];
        for (int i = 0; i < _count; i++) result[i] = new Neighbor(_ids[i], _distances[i]);
        Array.Sort(result, static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
        return result;
    }

    private static bool Worse(float d1, long i1, float d2, long i2) => d1 > d2 || (d1 == d2 && i1 > i2);

    private void SiftDownFromRoot(float distance, long id)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Worse(_distances[child + 1], _ids[child + 1], _distances[child], _ids[child])) child++;
            if (!Worse(_distances[child], _ids[child], distance, id)) break;
            _distances[i] = _distances[child];
            _ids[i] = _ids[child];
            i = child;
        }
        _distances[i] = distance;
        _ids[i] = id;
    }
}
