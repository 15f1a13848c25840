namespace Retrieval.Cli.Eval;

/// <summary>What `retrieval eval` runs: model, data root, output folder, batching, threads and the HNSW parameters.</summary>
/// <param name="ModelPath">Exported model.onnx.</param>
/// <param name="DataRoot">A data set core's DatasetLoader reads: In-Shop (query vs gallery), CUB-200-2011 or Stanford Online Products (test split, query = reference).</param>
/// <param name="OutDir">Where eval.json, eval.md and gallery-embeddings.npy go.</param>
/// <param name="BatchSize">Images per ONNX Runtime run.</param>
/// <param name="Threads">Decode and ONNX Runtime threads (0 = all cores).</param>
/// <param name="Ef">HNSW search beam.</param>
/// <param name="M">HNSW links per node.</param>
/// <param name="EfConstruction">HNSW build beam.</param>
/// <param name="AnnRecallK">k of the index's recall against exact search.</param>
public sealed record EvalSettings(string ModelPath, string DataRoot, string OutDir, int BatchSize = 64, int Threads = 0,
    int Ef = 128, int M = 16, int EfConstruction = 200, int AnnRecallK = 10)
{
    /// <summary>Threads actually used: <see cref="Threads"/>, or every core when it is 0.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {BatchSize}");
        if (Threads < 0) throw new ArgumentException($"--threads must be 0 (all cores) or more, got {Threads}");
        if (Ef < 1) throw new ArgumentException($"--ef must be at least 1, got {Ef}");
        if (AnnRecallK < 1) throw new ArgumentException($"ANN recall k must be at least 1, got {AnnRecallK}");
        new Core.Search.HnswOptions(M, EfConstruction).Validate();
    }
}
