using Retrieval.Core.Metrics;
namespace Retrieval.Train.Training;

/// <summary>
/// Everything besides tensors that a resumed run needs: the last finished epoch (the sampler and the
/// augmentation are functions of seed and epoch, so this is their whole state), the best validation
/// MAP@R so far and when it happened, the epoch history, and the untrained network's test metrics.
/// </summary>
public sealed record TrainingState(
    int Seed,
    int CompletedEpochs,
    int BestEpoch,
    double BestValidationMapAtR,
    int EpochsWithoutImprovement,
    bool Stopped,
    IReadOnlyList<EpochRecord> History,
    RetrievalReport? UntrainedTest)
{
    /// <summary>The state before the first epoch.</summary>
    public static TrainingState Initial(int seed, RetrievalReport? untrainedTest) =>
        new(seed, 0, 0, double.NegativeInfinity, 0, false, [], untrainedTest);

    /// <summary>Whether validation MAP@R <paramref name="mapAtR"/> beats the best so far.</summary>
    public bool IsImprovement(double mapAtR) => mapAtR > BestValidationMapAtR;

    /// <summary>
    /// The state after <paramref name="record"/>'s epoch: best epoch and score when it improved, else one more epoch
    /// without improvement; stopped once that count reaches <paramref name="patience"/>.
    /// </summary>
    public TrainingState After(EpochRecord record, int patience)
    {
        var waited = record.IsBest ? 0 : EpochsWithoutImprovement + 1;
        return this with
        {
            CompletedEpochs = record.Epoch,
            BestEpoch = record.IsBest ? record.Epoch : BestEpoch,
            BestValidationMapAtR = record.IsBest ? record.Validation.MapAtR : BestValidationMapAtR,
            EpochsWithoutImprovement = waited,
            Stopped = waited >= patience,
            History = [.. History, record],
        };
    }
}
