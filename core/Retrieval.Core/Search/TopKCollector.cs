namespace Retrieval.Core.Search;

/// <summary>
/// Keeps the k smallest (distance, index) pairs seen, ordered lexicographically so ties go to the smaller index;
/// a bounded max-heap whose root is the worst kept pair.
/// </summary>
internal sealed class TopKCollector(int k)
{
    private readonly float[] _distances = new float[k];
    private readonly int[] _indices = new int[k];
    private int _count;

    public void Clear() => _count = 0;

    public void Offer(float distance, int index)
    {
        if (_count < k)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(distance, index, _distances[parent], _indices[parent])) break;
                _distances[i] = _distances[parent];
                _indices[i] = _indices[parent];
                i = parent;
            }
            _distances[i] = distance;
            _indices[i] = index;
            return;
        }
        if (k == 0 || !Worse(_distances[0], _indices[0], distance, index)) return;
        SiftDownFromRoot(distance, index);
    }

    /// <summary>The kept pairs, closest first.</summary>
    public Neighbor[] ToSortedArray()
    {
        var result = new Neighbor[_count];
        for (int i = 0; i < _count; i++) result[i] = new Neighbor(_indices[i], _distances[i]);
        Array.Sort(result, static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
        return result;
    }

    private static bool Worse(float d1, int i1, float d2, int i2) => d1 > d2 || (d1 == d2 && i1 > i2);

    private void SiftDownFromRoot(float distance, int index)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Worse(_distances[child + 1], _indices[child + 1], _distances[child], _indices[child])) child++;
            if (!Worse(_distances[child], _indices[child], distance, index)) break;
            _distances[i] = _distances[child];
            _indices[i] = _indices[child];
            i = child;
        }
        _distances[i] = distance;
        _indices[i] = index;
    }
}
