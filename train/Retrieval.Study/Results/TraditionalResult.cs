namespace Retrieval.Study.Results;

/// <summary>The traditional (full fine-tuning) part: its settings and every (loss, seed) run.</summary>
public sealed record TraditionalResult(string Dataset, string Settings, IReadOnlyList<TraditionalRun> Runs);

/// <summary>
/// One fine-tuning run: test scores at the best validation epoch, that epoch, the epochs run, the validation MAP@R and
/// mean training loss per epoch, and the untrained network's test MAP@R.
/// </summary>
public sealed record TraditionalRun(string Loss, int Seed, int BestEpoch, int EpochsRun, MetricTriple Test, double UntrainedTestMapAtR,
    IReadOnlyList<double> ValidationCurve, IReadOnlyList<double> LossCurve, double TrainSeconds);
