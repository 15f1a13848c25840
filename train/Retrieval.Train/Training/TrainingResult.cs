using Retrieval.Core.Metrics;
namespace Retrieval.Train.Training;

/// <summary>
/// What a finished run reports and saves in test-metrics.json: the best epoch's validation and test metrics, the
/// untrained network's test metrics, the SHA-256 of the best weights (equal digests = equal weights) and the environment.
/// </summary>
public sealed record TrainingResult(
    string Loss,
    int BestEpoch,
    int EpochsRun,
    RetrievalReport BestValidation,
    RetrievalReport UntrainedTest,
    RetrievalReport Test,
    double TrainSeconds,
    string WeightsSha256,
    RunEnvironment Environment)
{
    /// <summary>Trained over untrained test MAP@R (infinity when the untrained MAP@R is 0).</summary>
    public double MapAtRGain => UntrainedTest.MapAtR > 0 ? Test.MapAtR / UntrainedTest.MapAtR : double.PositiveInfinity;
}
