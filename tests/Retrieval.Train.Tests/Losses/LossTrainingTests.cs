using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class LossTrainingTests
{
    [Theory]
    [InlineData("mfcwms")]
    [InlineData("mfcont")]
    [InlineData("cwms")]
    [InlineData("contrastive")]
    [InlineData("proxyanchor")]
    public void LossFallsAndClassesSeparateWhenOptimisingFreeEmbeddingsAndLossParameters(string name)
    {
        random.manual_seed(7);
        var labels = tensor(Enumerable.Range(0, 16).Select(i => (long)(i / 4)).ToArray());
        var free = nn.Parameter(randn(16, 8));
        var loss = LossFactory.Create(name, 6, 8, LossOptions.Defaults);
        var optimizer = optim.Adam(new[] { free }.Concat(loss.LossParameters), lr: 0.05);
        double first = 0, last = 0;
        for (var step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = loss.forward(nn.functional.normalize(free, dim: 1), labels);
            value.backward();
            optimizer.step();
            if (step == 0) first = value.item<float>();
            last = value.item<float>();
        }
        Assert.True(last < first, $"{name}: loss {first} -> {last} after 200 steps");
        // Leave-one-out nearest neighbour: (almost) every embedding's closest other embedding is of its class
        // (chance: 3 of 15). Proxy-Anchor pulls samples to proxies, not to each other, so one miss is allowed.
        using var _ = no_grad();
        var e = nn.functional.normalize(free, dim: 1);
        var similarity = e.matmul(e.t()) - 10 * eye(16);
        var hits = labels.index_select(0, similarity.argmax(1)).eq(labels).sum().item<long>();
        Assert.True(hits >= 15, $"{name}: {hits}/16 nearest neighbours of the same class; loss {first} -> {last}");
    }
}
