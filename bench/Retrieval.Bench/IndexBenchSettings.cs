namespace Retrieval.Bench;

/// <summary>Settings shared by every library in one `retrieval-bench index` run.</summary>
/// <param name="Threads">Threads of the all-threads search pass.</param>
/// <param name="BuildThreads">Threads every library builds with.</param>
/// <param name="Peers">Libraries beside ours: hnswlib-native, hnswlib-python, usearch, usearch-f16, usearch-i8.</param>
/// <param name="Ours">Our storage variants: f32, f16, i8.</param>
public sealed record IndexBenchSettings(
    int M, int EfConstruction, IReadOnlyList<int> Efs, int K, int Threads, int BuildThreads, int Repeats,
    string Python, string Script, string Native, string Output, IReadOnlyList<string> Peers, IReadOnlyList<string> Ours);
