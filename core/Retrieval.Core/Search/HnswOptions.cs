namespace Retrieval.Core.Search;

/// <summary>Construction settings of an <see cref="HnswIndex"/>: graph degree, build beam, default search beam, seed, capacity, build threads and vector storage.</summary>
/// <param name="M">Links per node on the upper layers (2M on layer 0); 2..128.</param>
/// <param name="EfConstruction">Beam width while inserting; at least 1.</param>
/// <param name="DefaultEf">Search beam used when a call passes Ef = 0; at least 1.</param>
/// <param name="Seed">Seeds the level of each node (a node's level depends only on the seed and its slot).</param>
/// <param name="InitialCapacity">Slots allocated up front; the index grows automatically when full.</param>
/// <param name="BuildThreads">Threads a batch Add uses (0 = all processors, 1 = sequential).</param>
/// <param name="Storage">How the graph search stores vectors; quantised modes re-rank candidates with the full-precision vectors.</param>
public sealed record HnswOptions(
    int M = 16,
    int EfConstruction = 200,
    int DefaultEf = 64,
    long Seed = 42,
    int InitialCapacity = 1024,
    int BuildThreads = 0,
    VectorStorage Storage = VectorStorage.Float32)
{
    /// <summary>Throws ArgumentException naming the first out-of-range setting.</summary>
    public void Validate()
    {
        if (M is < 2 or > 128) throw new ArgumentException($"HnswOptions.M must be in 2..128, got {M}.");
        if (EfConstruction < 1) throw new ArgumentException($"HnswOptions.EfConstruction must be >= 1, got {EfConstruction}.");
        if (DefaultEf < 1) throw new ArgumentException($"HnswOptions.DefaultEf must be >= 1, got {DefaultEf}.");
        if (InitialCapacity < 1) throw new ArgumentException($"HnswOptions.InitialCapacity must be >= 1, got {InitialCapacity}.");
        if (BuildThreads < 0) throw new ArgumentException($"HnswOptions.BuildThreads must be >= 0, got {BuildThreads}.");
        if (!Enum.IsDefined(Storage)) throw new ArgumentException($"HnswOptions.Storage {(int)Storage} is unknown.");
    }
}
