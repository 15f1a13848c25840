namespace Retrieval.Study.Results;

/// <summary>
/// Test scores of one repetition (one seed) of the fold models: separated = the mean of the fold models' own scores,
/// concatenated = the joined embedding; plus each fold model's test MAP@R and best validation epoch.
/// </summary>
public sealed record RepetitionScore(int Seed, MetricTriple Separated, MetricTriple Concatenated, IReadOnlyList<double> FoldMapAtR, IReadOnlyList<int> BestEpochs);
