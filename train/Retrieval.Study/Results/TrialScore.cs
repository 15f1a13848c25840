namespace Retrieval.Study.Results;

/// <summary>A search trial's cross-validation score: the mean over folds of the best validation MAP@R, and each fold's.</summary>
public sealed record TrialScore(int Index, string Settings, double MeanValidationMapAtR, IReadOnlyList<double> FoldValidationMapAtR, IReadOnlyList<int> BestEpochs, int Failures);
