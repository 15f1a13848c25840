using Retrieval.Study.Features;
using Retrieval.Study.Heads;
using Retrieval.Train.Models;
using static TorchSharp.torch;

namespace Retrieval.Study.Tests.Features;

[Collection("TorchSharp")]
public class BackboneFeaturesTests
{
    [Fact]
    public void The_head_on_frozen_features_reproduces_the_network()
    {
        random.manual_seed(11);
        using var network = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(BackboneNames.ResNetSmall, 16, 32));
        network.eval();
        using var features = new BackboneFeatures(network);
        features.eval();
        var x = rand(3, 3, 32, 32);
        var expected = network.forward(x).data<float>().ToArray();
        var pooled = features.forward(x).contiguous().data<float>().ToArray();
        var linear = network.Embedding;
        var head = new HeadWeights(features.Dimension, 16, linear.weight!.detach().contiguous().data<float>().ToArray(), linear.bias!.detach().data<float>().ToArray());
        var actual = head.Embed(pooled);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }
}
