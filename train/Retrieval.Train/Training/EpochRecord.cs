using Retrieval.Core.Metrics;
namespace Retrieval.Train.Training;

/// <summary>One line of metrics.jsonl: an epoch's mean loss, learning rates, validation metrics, time and throughput.</summary>
public sealed record EpochRecord(
    int Epoch,
    double Loss,
    double LearningRate,
    double LossLearningRate,
    RetrievalReport Validation,
    double Seconds,
    double ImagesPerSecond,
    bool IsBest);
