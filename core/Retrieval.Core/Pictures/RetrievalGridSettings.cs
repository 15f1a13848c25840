namespace Retrieval.Core.Pictures;

/// <summary>Which queries a qualitative grid shows and how large it is drawn.</summary>
/// <param name="Queries">Rows: queries drawn from the query set by a seeded sample (fewer when the set is smaller).</param>
/// <param name="K">Neighbours per row.</param>
/// <param name="Seed">Seed of the query sample: the same seed and query count pick the same queries in eval and training.</param>
/// <param name="CellSize">Side of each thumbnail in pixels.</param>
public sealed record RetrievalGridSettings(int Queries = 8, int K = 5, int Seed = 7, int CellSize = 112)
{
    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Queries is < 1 or > 100) throw new ArgumentException($"grid queries must be 1..100, got {Queries}");
        if (K is < 1 or > 20) throw new ArgumentException($"grid k must be 1..20, got {K}");
        if (CellSize is < 32 or > 512) throw new ArgumentException($"grid cell size must be 32..512 px, got {CellSize}");
    }
}
