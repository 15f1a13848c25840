namespace Retrieval.Bench;

/// <summary>Settings shared by both libraries in one `retrieval-bench index` run.</summary>
public sealed record IndexBenchSettings(
    int M, int EfConstruction, IReadOnlyList<int> Efs, int K, int Threads, int Repeats, string Python, string Script, string Output);
