namespace Retrieval.Bench;

/// <summary>One timed round of `retrieval-bench train`: engine, training images/s, process CPU seconds per step, and the 1-minute load when it started.</summary>
public sealed record TrainSpeedRound(int Round, string Engine, double ImagesPerSecond, double CpuSecondsPerStep, double Load);
