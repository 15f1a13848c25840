using System.Numerics.Tensors;
using Retrieval.Core.Search;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>A brute-force cosine index standing in for HNSW in service-layer tests.</summary>
public sealed class BruteForceIndex(int dimension) : IVectorIndex
{
    private readonly Dictionary<long, float[]> _rows = [];

    /// <inheritdoc />
    public int Dimension => dimension;

    /// <inheritdoc />
    public VectorMetric Metric => VectorMetric.Cosine;

    /// <inheritdoc />
    public int Count { get { lock (_rows) return _rows.Count; } }

    /// <inheritdoc />
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        lock (_rows)
            for (int i = 0; i < ids.Length; i++) _rows[ids[i]] = vectors.Slice(i * dimension, dimension).ToArray();
    }

    /// <inheritdoc />
    public bool Remove(long id) { lock (_rows) return _rows.Remove(id); }

    /// <inheritdoc />
    public Neighbor[] Search(ReadOnlySpan<float> query, int k, SearchParams? options = null)
    {
        var q = query.ToArray();
        lock (_rows)
            return _rows.Select(r => new Neighbor(r.Key, 1 - TensorPrimitives.Dot(q, r.Value)))
                .OrderBy(n => n.Distance).ThenBy(n => n.Id).Take(k).ToArray();
    }

    /// <inheritdoc />
    public void Save(string path) => throw new NotSupportedException("the gallery file persists items; the test index is never saved.");

    /// <summary>A factory of these indexes.</summary>
    public sealed class Factory : IIndexFactory
    {
        /// <inheritdoc />
        public IVectorIndex Create(int dimension) => new BruteForceIndex(dimension);

        /// <inheritdoc />
        public (int M, int EfConstruction, int EfSearch) Parameters => (0, 0, 0);
    }
}
