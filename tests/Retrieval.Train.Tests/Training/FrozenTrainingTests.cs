using Retrieval.Train.Models;
using Retrieval.Train.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

/// <summary>Head warm-up and frozen stages in real training runs: what must not move does not, and the rest trains.</summary>
[Collection("TorchSharp")]
public sealed class FrozenTrainingTests : IDisposable
{
    private readonly SyntheticImageSet _images = new(trainClasses: 12, testClasses: 6, imagesPerClass: 3);
    private readonly string _runs = Directory.CreateTempSubdirectory("retrieval-frozen-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_runs, recursive: true);
    }

    private TrainOptions Options(string name, int epochs, int headWarmup = 0, int frozenStages = 0) => new()
    {
        DataRoot = _images.Root,
        Backbone = BackboneNames.ResNetSmall,
        ImageSize = 16,
        EvalResize = 16,
        FreezeBatchNorm = false,
        LossLearningRateRatio = 10,
        EmbeddingSize = 8,
        Epochs = epochs,
        ClassesPerBatch = 4,
        ImagesPerClass = 2,
        LearningRate = 1e-2,
        WarmupEpochs = 0,
        HeadWarmupEpochs = headWarmup,
        FrozenStages = frozenStages,
        Seed = 3,
        Device = DeviceChoice.Cpu,
        OutputDir = _runs,
        RunName = name,
        EvalBatchSize = 8,
        PrefetchBatches = 2,
        RecallAtK = [1],
    };

    /// <summary>Trains <paramref name="options"/>; returns every parameter and buffer before and after, by name.</summary>
    private (Dictionary<string, Tensor> Before, Dictionary<string, Tensor> After, Tensor LossBefore, Tensor LossAfter) Train(TrainOptions options)
    {
        random.manual_seed(options.Seed);
        var sets = _images.Sets();
        var model = NetworkBuilder.Build(options);
        var loss = options.Loss.Create(sets.TrainClasses, options.EmbeddingSize);
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var lossBefore = loss.LossParameters.First().detach().clone();
        new Trainer(options, sets, model, loss, CPU, new PlainProgress(TextWriter.Null)).Train();
        return (before, model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()), lossBefore, loss.LossParameters.First().detach().clone());
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
        var warm = Train(Options("warm", epochs: 1, headWarmup: 1));
        var backbone = warm.Before.Keys.Where(k => k.StartsWith("backbone.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(backbone);
        Assert.All(backbone, k => Assert.True(Same(warm.Before[k], warm.After[k]), $"{k} changed during the head warm-up"));
        Assert.False(Same(warm.Before["embedding.weight"], warm.After["embedding.weight"]));
        Assert.False(Same(warm.LossBefore, warm.LossAfter));

        var after = Train(Options("after", epochs: 2, headWarmup: 1));
        Assert.False(Same(after.Before["backbone.layer4.0.conv1.weight"], after.After["backbone.layer4.0.conv1.weight"]));
        Assert.False(Same(after.Before["backbone.conv1.weight"], after.After["backbone.conv1.weight"]));
    }

    [Fact]
    public void FrozenStagesKeepTheirWeightsAndBatchNormStatisticsWhileLaterStagesTrain()
    {
        using var scope = NewDisposeScope();
        var run = Train(Options("frozen", epochs: 1, frozenStages: 2));
        var frozen = run.Before.Keys.Where(k => k.StartsWith("backbone.conv1.", StringComparison.Ordinal) || k.StartsWith("backbone.bn1.", StringComparison.Ordinal)
                                                 || k.StartsWith("backbone.layer1.", StringComparison.Ordinal)).ToList();
        Assert.Contains("backbone.layer1.0.bn1.running_mean", frozen);
        Assert.All(frozen, k => Assert.True(Same(run.Before[k], run.After[k]), $"{k} changed in a frozen stage"));
        Assert.False(Same(run.Before["backbone.layer2.0.conv1.weight"], run.After["backbone.layer2.0.conv1.weight"]));
        Assert.False(Same(run.Before["backbone.layer2.0.bn1.running_mean"], run.After["backbone.layer2.0.bn1.running_mean"]));
    }

    [Fact]
    public void TrainBackboneRestoresWhatFreezingSet()
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 8, 16));
        net.FreezeBatchNorm();
        net.FreezeStages(1);
        net.TrainBackbone(false);
        net.train();
        Assert.All(net.Backbone.parameters(), p => Assert.False(p.requires_grad));
        Assert.True(net.Embedding.weight!.requires_grad);
        net.TrainBackbone(true);
        net.train();
        var named = net.Backbone.named_parameters().ToDictionary(p => p.name, p => p.parameter.requires_grad);
        Assert.False(named["conv1.weight"]);
        Assert.False(named["layer1.0.bn1.weight"]);
        Assert.True(named["layer1.0.conv1.weight"]);
        Assert.All(net.modules().OfType<TorchSharp.Modules.BatchNorm2d>(), bn => Assert.False(bn.training));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.FreezeStages(6));
    }
}
