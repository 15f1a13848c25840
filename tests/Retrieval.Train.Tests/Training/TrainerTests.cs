using Retrieval.Core.IO;
using System.Text.Json;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;
using Retrieval.Train.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

[Collection("TorchSharp")]
public sealed class TrainerTests : IDisposable
{
    private readonly SyntheticImageSet _images = new(trainClasses: 12, testClasses: 6, imagesPerClass: 3);
    private readonly string _runs = Directory.CreateTempSubdirectory("retrieval-runs-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_runs, recursive: true);
    }

    private TrainOptions Options(string name, int epochs = 3) => new()
    {
        DataRoot = _images.Root,
        ImageSize = 16,
        EvalResize = 18,
        EmbeddingSize = 8,
        Epochs = epochs,
        ClassesPerBatch = 4,
        ImagesPerClass = 2,
        LearningRate = 1e-2,
        LossLearningRateRatio = 10,
        WarmupEpochs = 1,
        LrStep = 2,
        Patience = 10,
        Seed = 5,
        Device = DeviceChoice.Cpu,
        OutputDir = _runs,
        RunName = name,
        EvalBatchSize = 7,
        PrefetchBatches = 2,
        RecallAtK = [1, 2],
    };

    private (Trainer Trainer, TinyEmbeddingNet Model) Create(TrainOptions options, ITrainingProgress? progress = null)
    {
        random.manual_seed(options.Seed);
        var sets = _images.Sets();
        var model = new TinyEmbeddingNet();
        var loss = options.Loss.Create(sets.TrainClasses, options.EmbeddingSize);
        return (new Trainer(options, sets, model, loss, CPU, progress ?? TrainingProgress.Plain(TextWriter.Null)), model);
    }

    [Fact]
    public void ATinyRunWritesEveryRunFileAndTheLossFalls()
    {
        var (trainer, _) = Create(Options("e2e", epochs: 4));
        var result = trainer.Train();

        var run = trainer.Run;
        foreach (var file in new[] { run.Config, run.Metrics, run.BestCheckpoint, run.LastCheckpoint, run.LearningCurve, run.TestMetrics })
            Assert.True(File.Exists(file), $"missing {file}");
        Assert.Empty(Directory.GetFiles(run.Path, "*.tmp"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(run.LearningCurve).Take(4));
        var grid = Retrieval.Core.Imaging.ImageDecoder.DecodeFile(run.TestGrid);   // 6 test queries against 12 gallery images, top-5 each
        var layout = new Retrieval.Core.Pictures.RetrievalGridLayout(6, 5, new Retrieval.Core.Pictures.RetrievalGridSettings().CellSize);
        Assert.Equal((layout.Width, layout.Height), (grid.Width, grid.Height));

        var lines = File.ReadAllLines(run.Metrics).Select(l => JsonSerializer.Deserialize<EpochRecord>(l, JsonFiles.Options)!).ToList();
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.Epoch));
        Assert.True(lines[^1].Loss < lines[0].Loss, $"loss did not fall: {string.Join(", ", lines.Select(l => l.Loss))}");
        Assert.All(lines, l => Assert.InRange(l.Validation.MapAtR, 0, 1));
        Assert.Equal(9, lines[0].Validation.Queries);                     // round(0.25 x 12) = 3 held-out classes x 3 images, each a query
        // Warm-up (1 epoch) ends at the base rate; StepLR (step 2, gamma 0.5) halves it from epoch 3.
        Assert.Equal([1e-2, 1e-2, 5e-3, 5e-3], lines.Select(l => Math.Round(l.LearningRate, 6)));
        Assert.Equal(1e-1, lines[0].LossLearningRate, 6);

        var saved = JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(run.TestMetrics), JsonFiles.Options)!;
        Assert.Equal(result.Test.MapAtR, saved.Test.MapAtR);
        Assert.Equal(6, saved.Test.Queries);
        Assert.Equal(lines.MaxBy(l => l.Validation.MapAtR)!.Epoch, result.BestEpoch);
    }

    [Fact]
    public void AKilledThenResumedRunEndsIdenticalToAnUninterruptedOne()
    {
        var (whole, wholeModel) = Create(Options("whole"));
        var expected = whole.Train();

        var (first, _) = Create(Options("killed"), new KillAfterEpoch(2));
        Assert.Throws<OperationCanceledException>(() => first.Train());
        Assert.Equal(2, CheckpointFile.ReadState(first.Run.LastCheckpoint).CompletedEpochs);

        var (resumed, resumedModel) = Create(Options("killed") with { Resume = true });
        var actual = resumed.Train();

        Assert.Equal(expected.Test, actual.Test with { RecallAtK = expected.Test.RecallAtK });
        Assert.Equal(expected.Test.RecallAtK, actual.Test.RecallAtK);
        Assert.Equal(expected.UntrainedTest.MapAtR, actual.UntrainedTest.MapAtR);
        Assert.Equal(Losses(whole.Run.Metrics), Losses(resumed.Run.Metrics));
        var a = wholeModel.parameters().Select(p => p.data<float>().ToArray()).ToList();
        var b = resumedModel.parameters().Select(p => p.data<float>().ToArray()).ToList();
        Assert.Equal(a, b);
    }

    [Fact]
    public void ResumingWithDifferentSettingsOrOverwritingARunIsRefused()
    {
        var (first, _) = Create(Options("guard", epochs: 1));
        first.Train();
        var (again, _) = Create(Options("guard", epochs: 1));
        Assert.Contains("--resume", Assert.Throws<InvalidOperationException>(() => again.Train()).Message);
        var (changed, _) = Create(Options("guard", epochs: 1) with { Resume = true, LearningRate = 0.5 });
        Assert.Contains("settings differ", Assert.Throws<InvalidOperationException>(() => changed.Train()).Message);
    }

    [Fact]
    public void AnEndToEndRunFromAnInShopFolderWritesEveryRunFile()
    {
        var options = new TrainOptions
        {
            DataRoot = _images.Root,
            Backbone = "resnet-small",
            ImageSize = 16,
            EvalResize = 16,
            EmbeddingSize = 8,
            Epochs = 2,
            ClassesPerBatch = 4,
            ImagesPerClass = 2,
            LearningRate = 3e-3,
            Device = DeviceChoice.Cpu,
            OutputDir = _runs,
            RunName = "session",
            RecallAtK = [1, 2],
        };
        var result = TrainingSession.Run(options, TextWriter.Null);

        var run = new RunDirectory(options.RunDirectory);
        foreach (var file in new[] { run.Config, run.Metrics, run.BestCheckpoint, run.LastCheckpoint, run.LearningCurve, run.TestMetrics, run.Onnx })
            Assert.True(File.Exists(file), $"missing {file}");
        Assert.Equal(2, File.ReadAllLines(run.Metrics).Length);
        var config = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(run.Config), JsonFiles.Options)!;
        Assert.Equal(options with { RecallAtK = config.RecallAtK, Threads = config.Threads }, config);
        Assert.True(config.Threads >= 1, "config.json records the libtorch thread count the run used");
        Assert.Equal(6, result.Test.Queries);
        Assert.InRange(result.Test.MapAtR, 0, 1);
    }

    [Fact]
    public void LossInputValuesAreCheckedOnEachEpochsFirstStepOrOnEveryStepWhenAsked()
    {
        // The network's second training forward (epoch 1, step 2) returns NaN embeddings.
        var sets = _images.Sets();
        Exception Run(bool everyStep)
        {
            random.manual_seed(5);
            var options = Options(everyStep ? "nan-every" : "nan-first", epochs: 1) with { CheckEveryStep = everyStep };
            var trainer = new Trainer(options, sets, new NanOnTrainingForward(2), options.Loss.Create(sets.TrainClasses, 8), CPU, TrainingProgress.Plain(TextWriter.Null));
            return Assert.ThrowsAny<Exception>(() => trainer.Train());
        }
        // First step only: the loss's own checks do not run at step 2; the trainer stops on the non-finite loss.
        var unchecked_ = Assert.IsType<InvalidOperationException>(Run(everyStep: false));
        Assert.Contains("the loss became NaN at epoch 1, step 2", unchecked_.Message);
        // Every step: the loss rejects the NaN input itself.
        Assert.Contains("has a NaN or infinite value", Assert.IsType<ArgumentException>(Run(everyStep: true)).Message);
    }

    private static List<double> Losses(string metrics) =>
        File.ReadAllLines(metrics).Select(l => JsonSerializer.Deserialize<EpochRecord>(l, JsonFiles.Options)!.Loss).ToList();

    /// <summary>Options for a real resnet-small network (not the tiny one): head warm-up and frozen stages act on its backbone.</summary>
    private TrainOptions Frozen(string name, int epochs, int headWarmup = 0, int frozenStages = 0) =>
        Options(name, epochs) with
        {
            Backbone = BackboneNames.ResNetSmall, EvalResize = 16, FreezeBatchNorm = false, WarmupEpochs = 0, LrStep = 10,
            HeadWarmupEpochs = headWarmup, FrozenStages = frozenStages,
        };

    /// <summary>Trains <paramref name="options"/>; returns every parameter and buffer before and after the last epoch (last.ckpt, not the best), by name.</summary>
    private (Dictionary<string, Tensor> Before, Dictionary<string, Tensor> After, Tensor LossBefore, Tensor LossAfter) TrainNetwork(TrainOptions options)
    {
        random.manual_seed(options.Seed);
        var sets = _images.Sets();
        var model = NetworkBuilder.Build(options);
        var loss = options.Loss.Create(sets.TrainClasses, options.EmbeddingSize);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var lossBefore = loss.LossParameters[0].detach().clone();
        var trainer = new Trainer(options, sets, model, loss, CPU, TrainingProgress.Plain(TextWriter.Null));
        trainer.Train();
        CheckpointFile.Load(trainer.Run.LastCheckpoint, model, loss, null);
        return (before, model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()), lossBefore, loss.LossParameters[0].detach().clone());
    }

    private static bool Same(Tensor a, Tensor b) => Values(a).SequenceEqual(Values(b));

    private static double[] Values(Tensor t)
    {
        using var flat = t.detach().to_type(ScalarType.Float64).contiguous().flatten();
        return flat.data<double>().ToArray();
    }

    [Fact]
    public void HeadWarmupTrainsOnlyTheHeadAndTheMeanFieldsThenTheBackbone()
    {
        using var scope = NewDisposeScope();
        var warm = TrainNetwork(Frozen("warm", epochs: 1, headWarmup: 1));
        var backbone = warm.Before.Keys.Where(k => k.StartsWith("backbone.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(backbone);
        Assert.All(backbone, k => Assert.True(Same(warm.Before[k], warm.After[k]), $"{k} changed during the head warm-up"));
        Assert.False(Same(warm.Before["embedding.weight"], warm.After["embedding.weight"]));
        Assert.False(Same(warm.LossBefore, warm.LossAfter));

        var after = TrainNetwork(Frozen("after", epochs: 2, headWarmup: 1));
        Assert.False(Same(after.Before["backbone.layer4.0.conv1.weight"], after.After["backbone.layer4.0.conv1.weight"]));
        Assert.False(Same(after.Before["backbone.conv1.weight"], after.After["backbone.conv1.weight"]));
    }

    [Fact]
    public void FrozenStagesKeepTheirWeightsAndBatchNormStatisticsWhileLaterStagesTrain()
    {
        using var scope = NewDisposeScope();
        var run = TrainNetwork(Frozen("frozen", epochs: 1, frozenStages: 2));
        var frozen = run.Before.Keys.Where(k => k.StartsWith("backbone.conv1.", StringComparison.Ordinal) || k.StartsWith("backbone.bn1.", StringComparison.Ordinal)
                                                 || k.StartsWith("backbone.layer1.", StringComparison.Ordinal)).ToList();
        Assert.Contains("backbone.layer1.0.bn1.running_mean", frozen);
        Assert.All(frozen, k => Assert.True(Same(run.Before[k], run.After[k]), $"{k} changed in a frozen stage"));
        Assert.False(Same(run.Before["backbone.layer2.0.conv1.weight"], run.After["backbone.layer2.0.conv1.weight"]));
        Assert.False(Same(run.Before["backbone.layer2.0.bn1.running_mean"], run.After["backbone.layer2.0.bn1.running_mean"]));
    }

    /// <summary>A <see cref="TinyEmbeddingNet"/> whose n-th forward in training mode returns NaN.</summary>
    private sealed class NanOnTrainingForward : nn.Module<Tensor, Tensor>
    {
        private readonly TinyEmbeddingNet _net = new();
        private readonly int _n;
        private int _count;

        public NanOnTrainingForward(int n) : base(nameof(NanOnTrainingForward))
        {
            _n = n;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var output = _net.forward(input);
            return training && ++_count == _n ? output * float.NaN : output;
        }
    }

    /// <summary>Simulates a kill right after epoch <c>n</c>'s checkpoint was written.</summary>
    private sealed class KillAfterEpoch(int n) : ITrainingProgress
    {
        public void StartEpoch(int epoch, int epochs, int steps) { }
        public void Step(int step, double meanLoss, double imagesPerSecond, TimeSpan eta) { }
        public void Message(string line)
        {
            if (line.StartsWith($"epoch {n}:", StringComparison.Ordinal)) throw new OperationCanceledException("killed");
        }
    }
}
