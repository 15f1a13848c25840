namespace Retrieval.Core.Search;

/// <summary>A reusable binary max-heap of (key, label) pairs; push -distance to use it as a min-heap.</summary>
internal sealed class DistanceHeap
{
    private float[] _keys = new float[64];
    private int[] _labels = new int[64];

    public int Count { get; private set; }

    public float TopKey => _keys[0];

    public int TopLabel => _labels[0];

    public void Clear() => Count = 0;

    public void Push(float key, int label)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _labels, Count * 2);
        }
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_keys[parent] >= key) break;
            _keys[i] = _keys[parent];
            _labels[i] = _labels[parent];
            i = parent;
        }
        _keys[i] = key;
        _labels[i] = label;
    }

    public void Pop()
    {
        int n = --Count;
        if (n == 0) return;
        float key = _keys[n];
        int label = _labels[n];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && _keys[child + 1] > _keys[child]) child++;
            if (_keys[child] <= key) break;
            _keys[i] = _keys[child];
            _labels[i] = _labels[child];
            i = child;
        }
        _keys[i] = key;
        _labels[i] = label;
    }
}
