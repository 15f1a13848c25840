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
    [InlineData("proxynca")]
    [InlineData("ms")]
    [InlineData("arcface")]
    [InlineData("cosface")]
    [InlineData("normsoftmax")]
    public void LossFallsAndEmbeddingsGroupByClassWhenOptimisingThemWithTheLossParameters(string name)
    {
        // One intra-op thread: on a busy 2-core machine, tiny ops split over threads wait for each other (10x slower).
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            Optimise(name);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static void Optimise(string name)
    {
        random.manual_seed(7);
        var labels = tensor(Enumerable.Range(0, 16).Select(i => (long)(i / 4)).ToArray());
        var free = nn.Parameter(randn(16, 8));
        var loss = LossFactory.Create(name, 6, 8);
        var optimizer = optim.Adam(new[] { free }.Concat(loss.LossParameters), lr: 0.1);
        double first = 0, last = 0;
        for (var step = 0; step < 80; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var value = loss.forward(nn.functional.normalize(free, dim: 1), labels);
            value.backward();
            optimizer.step();
            if (step == 0) first = value.item<float>();
            last = value.item<float>();
        }
        Assert.True(last < first, $"{name}: loss {first} -> {last} after 80 steps");
        // Nearest class centroid (chance 1 in 4): every embedding is closest to the mean embedding of its own class.
        using var _ = no_grad();
        var e = nn.functional.normalize(free, dim: 1);
        var centroids = e.view(4, 4, 8).mean([1]);
        var hits = e.matmul(centroids.t()).argmax(1).eq(labels).sum().item<long>();
        Assert.True(hits == 16, $"{name}: {hits}/16 embeddings nearest their class centroid; loss {first} -> {last}");
    }
}
