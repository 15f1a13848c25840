namespace Retrieval.Study.Results;

/// <summary>The embedding-dimension sweep: per loss and dimension, every repetition's separated test scores.</summary>
public sealed record DimensionResult(string Dataset, string Extractor, IReadOnlyList<int> Dimensions, IReadOnlyList<DimensionSeries> Losses);

/// <summary>One loss across dimensions (with the hyper-parameters its modern search chose at the modern part's embedding size).</summary>
public sealed record DimensionSeries(string Loss, string Settings, IReadOnlyList<DimensionPoint> Points);

/// <summary>One loss at one dimension: the repetitions' separated test scores.</summary>
public sealed record DimensionPoint(int Dimension, IReadOnlyList<RepetitionScore> Repetitions);
