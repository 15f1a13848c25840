namespace Retrieval.Cli.Eval;

/// <summary>HNSW parameters of an evaluation run.</summary>
public sealed record HnswSettings(int M, int EfConstruction, int Ef);
