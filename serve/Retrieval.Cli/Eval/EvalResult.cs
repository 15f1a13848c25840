using Retrieval.Core.Metrics;

namespace Retrieval.Cli.Eval;

/// <summary>Everything one `retrieval eval` run measured: metrics of exact and HNSW retrieval, the index's recall, and throughput.</summary>
/// <param name="Model">Model file evaluated.</param>
/// <param name="Data">Data set root.</param>
/// <param name="QueryImages">Query images embedded.</param>
/// <param name="GalleryImages">Gallery (reference) images embedded and indexed; the same images as the queries when <see cref="QueryIsReference"/>.</param>
/// <param name="EmbeddingSize">Embedding dimension.</param>
/// <param name="ExecutionProvider">ONNX Runtime provider ("CPU" or "CUDA").</param>
/// <param name="RanksRetrieved">Neighbours retrieved per query (enough for MAP@R and the largest Recall@K).</param>
/// <param name="Exact">Metrics from exact (brute-force) search.</param>
/// <param name="Hnsw">Metrics from the HNSW index.</param>
/// <param name="Index">HNSW settings used.</param>
/// <param name="AnnRecallK">k of <paramref name="AnnRecall"/>.</param>
/// <param name="AnnRecall">The index's recall@k against exact search (overlap of top-k ids).</param>
/// <param name="Throughput">Embedding, build and search speeds.</param>
public sealed record EvalResult(string Model, string Data, int QueryImages, int GalleryImages, int EmbeddingSize, string ExecutionProvider,
    int RanksRetrieved, RetrievalReport Exact, RetrievalReport Hnsw, HnswSettings Index, int AnnRecallK, double AnnRecall, EvalThroughput Throughput)
{
    /// <summary>True for CUB/SOP: the test split is both the queries and the reference set, each query's own image excluded.</summary>
    public bool QueryIsReference { get; init; }

    /// <summary>(metric name, exact value, HNSW value) for every reported retrieval metric, in report order.</summary>
    public IReadOnlyList<(string Metric, double Exact, double Hnsw)> MetricRows() =>
    [
        ("P@1", Exact.PrecisionAt1, Hnsw.PrecisionAt1),
        ("R-Precision", Exact.RPrecision, Hnsw.RPrecision),
        ("MAP@R", Exact.MapAtR, Hnsw.MapAtR),
        .. Exact.RecallAtK.OrderBy(p => p.Key).Select(p => ($"Recall@{p.Key}", p.Value, Hnsw.RecallAtK[p.Key])),
    ];
}
