using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>Makes and loads the index a collection keeps its vectors in (HNSW in the server, exact in tests).</summary>
public interface IVectorIndexFactory
{
    /// <summary>Name recorded in the collection manifest ("hnsw", "exact"); a folder is only opened by the kind that wrote it.</summary>
    string Kind { get; }

    /// <summary>A new empty index.</summary>
    IVectorIndex Create(int dimension, VectorMetric metric);

    /// <summary>Reads an index written by its Save (a read, not a rebuild); a damaged file is an <see cref="InvalidDataException"/> naming it.</summary>
    IVectorIndex Load(string path);
}
