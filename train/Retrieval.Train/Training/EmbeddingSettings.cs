using Retrieval.Core.Imaging;

namespace Retrieval.Train.Training;

/// <summary>How an <see cref="EvaluationSet"/> embeds its images: core's centre-crop preprocessing, batch size, batches decoded ahead, decoded-image cache.</summary>
public sealed record EmbeddingSettings(PreprocessSpec Preprocess, int BatchSize, int PrefetchBatches, long CacheBytes)
{
    /// <summary>The evaluation settings of a training run.</summary>
    public static EmbeddingSettings Of(TrainOptions options) =>
        new(new PreprocessSpec(options.EvalResize, options.ImageSize), options.EvalBatchSize, options.PrefetchBatches, (long)options.CacheMegabytes << 20);
}
