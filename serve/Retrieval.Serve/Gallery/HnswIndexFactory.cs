using Retrieval.Core.Search;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Gallery;

/// <summary>Creates cosine <see cref="HnswIndex"/>es with the configured M, efConstruction and default ef.</summary>
public sealed class HnswIndexFactory(ServerOptions options) : IIndexFactory
{
    private readonly HnswOptions _options = Validated(new HnswOptions(options.HnswM, options.HnswEfConstruction, options.HnswEfSearch));

    /// <inheritdoc />
    public IVectorIndex Create(int dimension) => new HnswIndex(dimension, VectorMetric.Cosine, _options);

    /// <inheritdoc />
    public (int M, int EfConstruction, int EfSearch) Parameters => (_options.M, _options.EfConstruction, _options.DefaultEf);

    private static HnswOptions Validated(HnswOptions o)
    {
        o.Validate();
        return o;
    }
}
