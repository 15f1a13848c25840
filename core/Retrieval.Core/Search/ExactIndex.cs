using System.Numerics.Tensors;
using Retrieval.Core.IO;

namespace Retrieval.Core.Search;

/// <summary>
/// Brute-force <see cref="IVectorIndex"/>: every search scans all live items. The ground truth for HNSW and for
/// small galleries. Cosine works as in <see cref="HnswIndex"/>: vectors are L2-normalised on insert and queries on
/// search (distance 1 - dot), zero vectors are refused. File format v1 (little-endian): magic "RSEXACT1", dimension, metric, count (int32), ids (int64),
/// vectors (float32), CRC-32C of all preceding bytes (uint32); written atomically.
/// </summary>
public sealed class ExactIndex : IVectorIndex
{
    private static readonly byte[] Magic = "RSEXACT1"u8.ToArray();
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly List<long> _ids = [];
    private readonly Dictionary<long, int> _rows = [];
    private float[] _vectors = [];

    /// <summary>An empty index of vectors of the given length.</summary>
    public ExactIndex(int dimension, VectorMetric metric = VectorMetric.Cosine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Metric = metric;
    }

    public int Dimension { get; }

    public VectorMetric Metric { get; }

    public int Count
    {
        get { _lock.EnterReadLock(); try { return _ids.Count; } finally { _lock.ExitReadLock(); } }
    }

    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        if (vectors.Length != ids.Length * Dimension)
            throw new ArgumentException($"{vectors.Length} floats for {ids.Length} ids of dimension {Dimension}", nameof(vectors));
        for (int i = 0; i < ids.Length; i++) Check(vectors.Slice(i * Dimension, Dimension), $"vector of id {ids[i]}");
        _lock.EnterWriteLock();
        try
        {
            for (int i = 0; i < ids.Length; i++)
            {
                if (!_rows.TryGetValue(ids[i], out int row))
                {
                    row = _ids.Count;
                    _ids.Add(ids[i]);
                    _rows[ids[i]] = row;
                    if (_vectors.Length < _ids.Count * Dimension) Array.Resize(ref _vectors, Math.Max(_ids.Count * Dimension, _vectors.Length * 2));
                }
                var stored = _vectors.AsSpan(row * Dimension, Dimension);
                vectors.Slice(i * Dimension, Dimension).CopyTo(stored);
                if (Metric == VectorMetric.Cosine) Normalize(stored);
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Remove(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.Remove(id, out int row)) return false;
            int last = _ids.Count - 1;
            if (row != last)
            {
                _ids[row] = _ids[last];
                _rows[_ids[row]] = row;
                _vectors.AsSpan(last * Dimension, Dimension).CopyTo(_vectors.AsSpan(row * Dimension, Dimension));
            }
            _ids.RemoveAt(last);
            return true;
        }
        finally { _lock.ExitWriteLock(); }
    }

    public bool Contains(long id)
    {
        _lock.EnterReadLock();
        try { return _rows.ContainsKey(id); } finally { _lock.ExitReadLock(); }
    }

    public bool TryGetVector(long id, Span<float> destination)
    {
        if (destination.Length != Dimension) throw new ArgumentException($"destination has {destination.Length} values, the index holds dimension {Dimension}", nameof(destination));
        _lock.EnterReadLock();
        try
        {
            if (!_rows.TryGetValue(id, out int row)) return false;
            _vectors.AsSpan(row * Dimension, Dimension).CopyTo(destination);
            return true;
        }
        finally { _lock.ExitReadLock(); }
    }

    public Neighbor[] Search(ReadOnlySpan<float> query, int k, SearchParams? options = null)
    {
        var filter = options?.Filter;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (query.Length != Dimension) throw new ArgumentException($"query has {query.Length} values, the index holds dimension {Dimension}", nameof(query));
        Check(query, "query");
        if (Metric == VectorMetric.Cosine)
        {
            var unit = query.ToArray();
            Normalize(unit);
            query = unit;
        }
        _lock.EnterReadLock();
        try
        {
            if (_ids.Count == 0) return [];
            var top = new TopKCollector(Math.Min(k, _ids.Count));
            ExactSearch.Scan(query, _vectors, Metric, top, new IndexRows(_ids, filter));
            return top.ToSortedArray();
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>This index's rows for <see cref="ExactSearch.Scan{TRows}"/>: the live items passing the filter, under their ids.</summary>
    private readonly struct IndexRows(List<long> ids, SearchFilter? filter) : IScannedRows
    {
        public int Count => ids.Count;
        public bool Includes(int row) => filter is null || filter.Matches(ids[row]);
        public long Id(int row) => ids[row];
    }

    private void Check(ReadOnlySpan<float> v, string what)
    {
        foreach (float x in v)
            if (!float.IsFinite(x)) throw new ArgumentException($"{what} has a non-finite value");
        if (Metric == VectorMetric.Cosine && SquaredNorm(v) == 0) throw new ArgumentException($"{what} is all zeros; cosine needs a non-zero vector");
    }

    // In double, so neither tiny nor huge float components under- or overflow.
    private static double SquaredNorm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (float x in v) sum += (double)x * x;
        return sum;
    }

    private static void Normalize(Span<float> v) => TensorPrimitives.Multiply(v, (float)(1 / Math.Sqrt(SquaredNorm(v))), v);

    public void Save(string path)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            _lock.EnterReadLock();
            try
            {
                w.Write(Magic);
                w.Write(Dimension);
                w.Write((int)Metric);
                w.Write(_ids.Count);
                foreach (long id in _ids) w.Write(id);
                foreach (float f in _vectors.AsSpan(0, _ids.Count * Dimension)) w.Write(f);
            }
            finally { _lock.ExitReadLock(); }
            w.Write(Crc32C.Append(0, body.GetBuffer().AsSpan(0, (int)body.Length)));
        }
        AtomicFile.WriteAllBytes(path, body.ToArray());
    }

    /// <summary>Reads an index written by <see cref="Save"/>; a truncated or corrupt file is refused with <see cref="InvalidDataException"/>.</summary>
    public static ExactIndex Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        const int header = 8 + 4 + 4 + 4;
        if (bytes.Length < header + 4) throw new InvalidDataException($"{path}: truncated exact index ({bytes.Length} bytes)");
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new InvalidDataException($"{path}: not an exact index file (bad magic)");
        uint stored = BitConverter.ToUInt32(bytes, bytes.Length - 4);
        if (Crc32C.Append(0, bytes.AsSpan(0, bytes.Length - 4)) != stored) throw new InvalidDataException($"{path}: checksum mismatch (corrupt or truncated file)");
        using var r = new BinaryReader(new MemoryStream(bytes, Magic.Length, bytes.Length - Magic.Length - 4));
        int dimension = r.ReadInt32();
        var metric = (VectorMetric)r.ReadInt32();
        int count = r.ReadInt32();
        if (dimension < 1 || !Enum.IsDefined(metric) || count < 0 || (long)count * (8 + 4L * dimension) != bytes.Length - header - 4)
            throw new InvalidDataException($"{path}: inconsistent header (dimension {dimension}, metric {(int)metric}, count {count})");
        var ids = new long[count];
        for (int i = 0; i < count; i++) ids[i] = r.ReadInt64();
        var vectors = new float[count * dimension];
        for (int i = 0; i < vectors.Length; i++) vectors[i] = r.ReadSingle();
        var index = new ExactIndex(dimension, metric);
        index.Add(vectors, ids);
        return index;
    }
}
