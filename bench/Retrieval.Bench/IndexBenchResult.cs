namespace Retrieval.Bench;

/// <summary>Our HNSW index and hnswlib measured on the same vectors, settings and machine in one run.</summary>
public sealed record IndexBenchResult(
    string Dataset, int Count, int Dimension, int Queries, string Metric, int M, int EfConstruction, int K, int Threads,
    IndexBenchSide Ours, IndexBenchSide Hnswlib);
