using Retrieval.Core.Search;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>Creates core's brute-force <see cref="ExactIndex"/> (cosine), standing in for HNSW in service-layer tests.</summary>
public sealed class ExactIndexFactory : IIndexFactory
{
    /// <inheritdoc />
    public IVectorIndex Create(int dimension) => new ExactIndex(dimension);

    /// <inheritdoc />
    public (int M, int EfConstruction, int EfSearch) Parameters => (0, 0, 0);
}
