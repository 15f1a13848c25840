namespace Retrieval.Bench;

/// <summary>Every library measured on one data set with the same settings, in one run, with the machine load before and after.</summary>
public sealed record IndexBenchResult(
    string Dataset, string Description, int Count, int Dimension, int Queries, string Metric, int M, int EfConstruction, int K,
    int Threads, int BuildThreads, string LoadBefore, string LoadAfter, IReadOnlyList<IndexBenchSide> Sides);
