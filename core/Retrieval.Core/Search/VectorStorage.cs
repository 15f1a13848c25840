namespace Retrieval.Core.Search;

/// <summary>How an HNSW index stores the vectors its graph search compares against.</summary>
public enum VectorStorage
{
    /// <summary>32-bit floats: exact distances, 4 bytes per value.</summary>
    Float32 = 0,

    /// <summary>
    /// 16-bit floats (2 bytes per value); the graph search compares the query with them and the candidates are
    /// re-ranked with the full-precision vectors, which the index also keeps (in memory, or mapped from its file).
    /// </summary>
    Float16 = 1,

    /// <summary>
    /// 8-bit scalar quantisation with a per-vector scale and offset (1 byte per value + 12 bytes); candidates are
    /// re-ranked with the full-precision vectors as for <see cref="Float16"/>.
    /// </summary>
    Int8 = 2,
}
