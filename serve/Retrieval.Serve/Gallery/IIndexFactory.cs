using Retrieval.Core.Search;

namespace Retrieval.Serve.Gallery;

/// <summary>Creates the approximate index a gallery searches (cosine metric, given dimension).</summary>
public interface IIndexFactory
{
    /// <summary>A new empty index for vectors of <paramref name="dimension"/> floats.</summary>
    IVectorIndex Create(int dimension);

    /// <summary>Construction parameters reported by GetInfo: M, efConstruction, default ef.</summary>
    (int M, int EfConstruction, int EfSearch) Parameters { get; }
}
