namespace Retrieval.Bench;

/// <summary>The trainer's data pipeline on real images: batch building alone (cold: decode + augment; cached: augment) and a whole trainer epoch.</summary>
public sealed record PipelineMeasurement(double DecodeAugmentImagesPerSecond, double AugmentImagesPerSecond, double TrainerImagesPerSecond,
    int Images, double TrainerSeconds, double TrainerCpuSeconds);
