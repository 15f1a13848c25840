using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>Creates <see cref="HnswIndex"/>es with one set of <see cref="HnswOptions"/> (the server's configuration) and loads saved ones.</summary>
public sealed class HnswIndexFactory : IVectorIndexFactory
{
    /// <summary>A factory for indexes built with <paramref name="options"/> (validated here).</summary>
    public HnswIndexFactory(HnswOptions options)
    {
        options.Validate();
        Options = options;
    }

    /// <summary>The construction settings of new indexes (a loaded index keeps the settings it was built with).</summary>
    public HnswOptions Options { get; }

    /// <inheritdoc />
    public string Kind => "hnsw";

    /// <inheritdoc />
    public IVectorIndex Create(int dimension, VectorMetric metric) => new HnswIndex(dimension, metric, Options);

    /// <inheritdoc />
    public IVectorIndex Load(string path) => HnswIndex.Load(path);
}
