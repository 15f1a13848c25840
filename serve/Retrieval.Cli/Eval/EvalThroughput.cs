namespace Retrieval.Cli.Eval;

/// <summary>Measured speeds of an evaluation run (wall clock, all threads).</summary>
/// <param name="ImagesPerSecond">Images decoded, preprocessed and embedded per second.</param>
/// <param name="ExactQueriesPerSecond">Queries per second of exact search.</param>
/// <param name="HnswQueriesPerSecond">Queries per second of HNSW search.</param>
/// <param name="HnswBuildSeconds">Time to build the index over the gallery.</param>
/// <param name="Threads">Threads used for decoding and searching.</param>
public sealed record EvalThroughput(double ImagesPerSecond, double ExactQueriesPerSecond, double HnswQueriesPerSecond, double HnswBuildSeconds, int Threads);
