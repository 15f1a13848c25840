using Retrieval.Core.Metrics;
namespace Retrieval.Train.Training;

/// <summary>What a finished run reports and saves in test-metrics.json.</summary>
public sealed record TrainingResult(
    string Loss,
    int BestEpoch,
    int EpochsRun,
    RetrievalReport BestValidation,
    RetrievalReport UntrainedTest,
    RetrievalReport Test,
    double TrainSeconds)
{
    /// <summary>Trained over untrained test MAP@R (infinity when the untrained MAP@R is 0).</summary>
    public double MapAtRGain => UntrainedTest.MapAtR > 0 ? Test.MapAtR / UntrainedTest.MapAtR : double.PositiveInfinity;
}
