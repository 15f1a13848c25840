using System.Text.Json;
using Retrieval.Core.IO;
using Retrieval.Train.Training;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

/// <summary>
/// Same seed, same data, same machine: the same run, to the last bit — whatever the data pipeline's timing. The two runs
/// below decode on different schedules (prefetch depth 1 vs 6; every image decoded again at each use vs cached), so
/// batch building finishes in a different order relative to the training step; metrics and weights must not change.
/// </summary>
[Collection("TorchSharp")]
public sealed class ReproducibilityTests : IDisposable
{
    private readonly SyntheticImageSet _images = new(trainClasses: 12, testClasses: 6, imagesPerClass: 3);
    private readonly string _runs = Directory.CreateTempSubdirectory("retrieval-repro-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_runs, recursive: true);
    }

    private TrainingResult Train(string name, int seed, int prefetch, int cacheMegabytes)
    {
        var options = new TrainOptions
        {
            DataRoot = _images.Root, ImageSize = 16, EvalResize = 18, EmbeddingSize = 8, Epochs = 3, ClassesPerBatch = 4, ImagesPerClass = 2,
            LearningRate = 1e-2, LossLearningRateRatio = 10, Patience = 10, Seed = seed, Device = DeviceChoice.Cpu, OutputDir = _runs, RunName = name,
            EvalBatchSize = 5, PrefetchBatches = prefetch, CacheMegabytes = cacheMegabytes, RecallAtK = [1, 2],
        };
        random.manual_seed(seed);
        var sets = _images.Sets();
        var model = new TinyEmbeddingNet();
        return new Trainer(options, sets, model, options.Loss.Create(sets.TrainClasses, 8), CPU, TrainingProgress.Plain(TextWriter.Null)).Train();
    }

    private IEnumerable<string> EpochsWithoutTimings(string run) =>
        File.ReadAllLines(Path.Combine(_runs, run, "metrics.jsonl"))
            .Select(l => JsonSerializer.Deserialize<EpochRecord>(l, JsonFiles.Options)! with { Seconds = 0, ImagesPerSecond = 0 })
            .Select(r => JsonSerializer.Serialize(r, JsonFiles.Options));

    [Fact]
    public void TwoRunsWithTheSameSeedEndWithIdenticalMetricsAndWeightsWhateverThePipelineTiming()
    {
        var a = Train("a", seed: 3, prefetch: 1, cacheMegabytes: 0);
        var b = Train("b", seed: 3, prefetch: 6, cacheMegabytes: 64);

        Assert.Equal(a.WeightsSha256, b.WeightsSha256);
        Assert.Equal(EpochsWithoutTimings("a"), EpochsWithoutTimings("b"));
        Assert.Equal(JsonSerializer.Serialize(a.Test, JsonFiles.Options), JsonSerializer.Serialize(b.Test, JsonFiles.Options));
        Assert.Equal(a.BestEpoch, b.BestEpoch);
        Assert.Equal(get_num_threads(), a.Environment.TorchThreads);

        // The digest does see a different run: another seed gives other weights.
        Assert.NotEqual(a.WeightsSha256, Train("c", seed: 4, prefetch: 1, cacheMegabytes: 0).WeightsSha256);
    }
}
