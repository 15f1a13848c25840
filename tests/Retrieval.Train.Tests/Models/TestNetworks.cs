using Retrieval.Train.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Models;

/// <summary>Networks for tests: seeded, with non-trivial BatchNorm statistics so folding and loading are really exercised.</summary>
internal static class TestNetworks
{
    /// <summary>A seeded network in eval mode with randomised BatchNorm statistics and affine parameters.</summary>
    public static EmbeddingNetwork Create(string backbone, int imageSize, int embeddingSize = 32, int seed = 7)
    {
        manual_seed(seed);
        var net = EmbeddingNetwork.Create(new ModelConfig(backbone, embeddingSize, imageSize, [0.5f, 0.4f, 0.3f], [0.25f, 0.2f, 0.3f]));
        RandomizeBatchNormStatistics(net);
        net.eval();
        return net;
    }

    /// <summary>Sets running mean/var, weight and bias of every BatchNorm to random values away from the identity.</summary>
    public static void RandomizeBatchNormStatistics(EmbeddingNetwork net)
    {
        using var noGrad = no_grad();
        foreach (var bn in net.modules().OfType<BatchNorm2d>())
        {
            bn.running_mean!.copy_(randn_like(bn.running_mean) * 0.2);
            bn.running_var!.copy_(rand_like(bn.running_var) + 0.5);
            bn.weight!.copy_(rand_like(bn.weight) + 0.5);
            bn.bias!.copy_(randn_like(bn.bias) * 0.1);
        }
    }
}
