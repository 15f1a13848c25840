namespace Retrieval.Train.Training;

/// <summary>Retrieval metrics of one evaluation (validation or test), as logged in metrics.jsonl and test-metrics.json.</summary>
public sealed record RetrievalScores(
    double PrecisionAt1,
    double RPrecision,
    double MapAtR,
    IReadOnlyDictionary<int, double> RecallAtK,
    int Queries);
