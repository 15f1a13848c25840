namespace Retrieval.Study.Heads;

/// <summary>
/// How a head is trained on frozen features: AdamW (two groups: head, loss parameters at lr x ratio), 1 warm-up epoch,
/// StepLR, global gradient clipping, class-balanced batches of <see cref="ClassesPerBatch"/> x <see cref="ImagesPerClass"/>
/// (MLRC's m = 4 per class), validation MAP@R after every epoch, the best epoch kept, early stop after
/// <see cref="Patience"/> epochs without a better one.
/// </summary>
public sealed record HeadSchedule
{
    public int MaxEpochs { get; init; } = 30;
    public int Patience { get; init; } = 5;
    public int MinEpochs { get; init; } = 10;
    public int ClassesPerBatch { get; init; } = 32;
    public int ImagesPerClass { get; init; } = 4;
    public double WeightDecay { get; init; } = 1e-4;
    public int WarmupEpochs { get; init; } = 1;
    public int LrStep { get; init; } = 10;
    public double LrGamma { get; init; } = 0.5;
    public double GradientClipNorm { get; init; } = 10;
}
