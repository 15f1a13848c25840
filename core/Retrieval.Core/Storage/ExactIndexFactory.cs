using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>Creates and loads brute-force <see cref="ExactIndex"/>es (the test oracle; exact answers for small collections).</summary>
public sealed class ExactIndexFactory : IVectorIndexFactory
{
    /// <inheritdoc />
    public string Kind => "exact";

    /// <inheritdoc />
    public IVectorIndex Create(int dimension, VectorMetric metric) => new ExactIndex(dimension, metric);

    /// <inheritdoc />
    public IVectorIndex Load(string path) => ExactIndex.Load(path);
}
