namespace Retrieval.Serve.Engine;

/// <summary>Retrieval quality of labelled queries against the gallery: P@1, R-Precision, MAP@R and Recall@K averaged over the counted queries.</summary>
public sealed record QualityReport(int Queries, int Excluded, double PrecisionAt1, double RPrecision, double MapAtR, IReadOnlyDictionary<int, double> RecallAtK);
