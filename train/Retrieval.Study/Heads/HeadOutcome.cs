namespace Retrieval.Study.Heads;

/// <summary>
/// What a head training reports: the best validation epoch (1-based) and its validation P@1 / R-Precision / MAP@R,
/// the validation MAP@R and mean training loss of every epoch run, and why it stopped early when the loss diverged
/// (<see cref="Failure"/>; the best epoch before it still counts, as early stopping would keep it).
/// </summary>
public sealed record HeadOutcome(
    int BestEpoch,
    int EpochsRun,
    double ValidationPrecisionAt1,
    double ValidationRPrecision,
    double ValidationMapAtR,
    IReadOnlyList<double> ValidationCurve,
    IReadOnlyList<double> LossCurve,
    string? Failure);
