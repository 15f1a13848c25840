using Retrieval.Train.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Models;

[Collection("TorchSharp")]
public sealed class EmbeddingNetworkTests
{
    [Theory]
    [InlineData(BackboneNames.ResNetSmall, 32)]
    [InlineData(BackboneNames.ResNet18, 64)]
    [InlineData(BackboneNames.ResNet50, 64)]
    public void ForwardGivesUnitLengthEmbeddingsOfTheConfiguredSize(string backbone, int imageSize)
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(backbone, 24, imageSize));
        net.eval();
        var output = net.forward(rand(2, 3, imageSize, imageSize));
        Assert.Equal(new long[] { 2, 24 }, output.shape);
        var norms = output.norm(1).data<float>().ToArray();
        Assert.All(norms, n => Assert.Equal(1f, n, 4));
    }

    [Theory]
    [InlineData(BackboneNames.ResNet18, 11_176_512)]   // torchvision resnet18: 11,689,512 minus fc (512*1000+1000)
    [InlineData(BackboneNames.ResNet18Cntk, 15_897_152)] // resnet18 + one 512-wide basic block: 2 * 512*512*9 + 2 * 2*512
    [InlineData(BackboneNames.ResNet50, 23_508_032)]   // torchvision resnet50: 25,557,032 minus fc (2048*1000+1000)
    public void BackboneHasTorchvisionParameterCountAndNames(string backbone, long expected)
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(backbone, 8, 64));
        Assert.Equal(expected, net.Backbone.parameters().Sum(p => p.numel()));
        var names = net.Backbone.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("bn1.running_mean", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("layer2.0.downsample.1.running_var", names);
        Assert.Contains(backbone switch { BackboneNames.ResNet50 => "layer4.2.bn3.weight", BackboneNames.ResNet18Cntk => "layer4.2.bn2.weight", _ => "layer4.1.bn2.weight" }, names);
    }

    [Fact]
    public void ForwardIsNormalisationThenBackboneThenAveragePlusMaxPoolingThenLinearThenL2()
    {
        using var scope = NewDisposeScope();
        var config = new ModelConfig(BackboneNames.ResNetSmall, 5, 32, [0.2f, 0.5f, 0.7f], [0.3f, 0.1f, 0.4f]);
        using var net = EmbeddingNetwork.Create(config);
        net.eval();
        var x = rand(3, 3, 32, 32);
        var actual = net.forward(x).to_type(ScalarType.Float64).data<double>().ToArray();

        var normalized = (x - tensor(new[] { 0.2f, 0.5f, 0.7f }).reshape(1, 3, 1, 1)) / tensor(new[] { 0.3f, 0.1f, 0.4f }).reshape(1, 3, 1, 1);
        var features = net.Backbone.forward(normalized).to_type(ScalarType.Float64);
        var (n, c, h, w) = ((int)features.shape[0], (int)features.shape[1], (int)features.shape[2], (int)features.shape[3]);
        var f = features.data<double>().ToArray();
        var weight = net.Embedding.weight!.to_type(ScalarType.Float64).data<double>().ToArray();
        var bias = net.Embedding.bias!.to_type(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < n; i++)
        {
            var pooled = new double[c];
            for (var ch = 0; ch < c; ch++)
            {
                double sum = 0, max = double.NegativeInfinity;
                for (var p = 0; p < h * w; p++)
                {
                    var v = f[((i * c) + ch) * h * w + p];
                    sum += v;
                    max = Math.Max(max, v);
                }
                pooled[ch] = sum / (h * w) + max;
            }
            var e = new double[5];
            for (var k = 0; k < 5; k++)
            {
                e[k] = bias[k];
                for (var ch = 0; ch < c; ch++) e[k] += weight[k * c + ch] * pooled[ch];
            }
            var norm = Math.Sqrt(e.Sum(v => v * v));
            for (var k = 0; k < 5; k++) Assert.Equal(e[k] / norm, actual[i * 5 + k], 1e-5);
        }
    }

    [Fact]
    public void FrozenBatchNormKeepsRunningStatisticsAndStopsTheirGradientsInTrainMode()
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 8, 32));
        net.FreezeBatchNorm();
        net.train();
        var norms = net.modules().OfType<BatchNorm2d>().ToList();
        Assert.All(norms, bn => Assert.False(bn.training));
        Assert.All(norms, bn => Assert.False(bn.weight!.requires_grad));
        Assert.True(net.Backbone.Chain.OfType<Conv2d>().Single().weight!.requires_grad);
        Assert.True(net.Embedding.weight!.requires_grad);
        var before = norms[0].running_mean!.clone();
        net.forward(rand(4, 3, 32, 32)).sum().backward();
        Assert.True(norms[0].running_mean!.allclose(before, 0, 0));
        Assert.Null(norms[0].weight!.grad);
    }

    [Fact]
    public void UnfrozenBatchNormUpdatesRunningStatisticsInTrainMode()
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 8, 32));
        net.train();
        var bn = net.modules().OfType<BatchNorm2d>().First();
        var before = bn.running_mean!.clone();
        net.forward(rand(4, 3, 32, 32));
        Assert.False(bn.running_mean!.allclose(before, 0, 0));
    }

    [Fact]
    public void WrongInputShapeIsAnErrorNamingTheShape()
    {
        using var scope = NewDisposeScope();
        using var net = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 8, 32));
        var error = Assert.Throws<ArgumentException>(() => net.forward(rand(2, 1, 32, 32)));
        Assert.Contains("[2,1,32,32]", error.Message);
    }

    [Fact]
    public void InvalidConfigurationNamesTheField()
    {
        Assert.Contains("resnet-9000", Assert.Throws<ArgumentException>(() =>
            EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization("resnet-9000", 8, 32))).Message);
        Assert.Equal("Std", Assert.Throws<ArgumentException>(() =>
            EmbeddingNetwork.Create(new ModelConfig(BackboneNames.ResNet18, 8, 32, [0, 0, 0], [1, 0, 1]))).ParamName);
        Assert.Equal("EmbeddingSize", Assert.Throws<ArgumentException>(() =>
            EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNet18, 0, 32))).ParamName);
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
        Assert.All(net.modules().OfType<BatchNorm2d>(), bn => Assert.False(bn.training));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.FreezeStages(6));
    }
}
