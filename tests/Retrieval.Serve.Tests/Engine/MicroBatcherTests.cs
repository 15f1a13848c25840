using Retrieval.Serve.Engine;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Engine;

public sealed class MicroBatcherTests
{
    private static FakeModel Model(TimeSpan delay = default) =>
        new(new ModelInfo("sha", 64, 4, new Dictionary<string, string>()), 2, delay);

    [Fact]
    public async Task ConcurrentRequestsShareModelCallsAndGetTheirOwnResults()
    {
        var model = Model(TimeSpan.FromMilliseconds(20));
        await using var batcher = new MicroBatcher(model, maxBatch: 8, TimeSpan.FromMilliseconds(50), new ServingMetrics());
        var inputs = Enumerable.Range(0, 24).Select(i => new float[] { i, -i, 1, 0 }).ToArray();

        var outputs = await Task.WhenAll(inputs.Select(v => batcher.EmbedAsync(v, CancellationToken.None)));

        for (int i = 0; i < inputs.Length; i++) Assert.Equal(inputs[i].Select(x => 2 * x), outputs[i]);
        Assert.Equal(24, model.Batches.Sum());
        Assert.All(model.Batches, size => Assert.InRange(size, 1, 8));
        Assert.True(model.Batches.Count < 24, $"expected batching, got {model.Batches.Count} model calls for 24 requests");
    }

    [Fact]
    public async Task MaxBatchOneCallsTheModelPerRequest()
    {
        var model = Model();
        await using var batcher = new MicroBatcher(model, maxBatch: 1, TimeSpan.FromMilliseconds(50), new ServingMetrics());

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => batcher.EmbedAsync([i, 0, 0, 1], CancellationToken.None)));

        Assert.Equal(Enumerable.Repeat(1, 10), model.Batches);
    }

    [Fact]
    public async Task CancelledRequestEndsAndIsNotEmbedded()
    {
        var model = Model(TimeSpan.FromMilliseconds(200));
        await using var batcher = new MicroBatcher(model, maxBatch: 4, TimeSpan.Zero, new ServingMetrics());
        var blocker = batcher.EmbedAsync([1, 0, 0, 0], CancellationToken.None);
        await Task.Delay(50);
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.EmbedAsync([0, 1, 0, 0], cancel.Token);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await blocker;
        await batcher.DisposeAsync();
        Assert.Equal(1, model.Batches.Sum());
    }

    [Fact]
    public async Task ModelFailureReachesEveryCallerOfTheBatch()
    {
        var model = new ThrowingModel();
        await using var batcher = new MicroBatcher(model, maxBatch: 4, TimeSpan.FromMilliseconds(20), new ServingMetrics());

        var calls = Enumerable.Range(0, 3).Select(_ => batcher.EmbedAsync([1], CancellationToken.None)).ToArray();

        foreach (var call in calls) await Assert.ThrowsAsync<InvalidOperationException>(() => call);
    }

    private sealed class ThrowingModel : IEmbeddingModel
    {
        public ModelInfo Info { get; } = new("sha", 1, 1, new Dictionary<string, string>());
        public float[] Preprocess(byte[] image, Retrieval.Core.Imaging.ImageLimits limits) => [1];
        public float[][] EmbedBatch(IReadOnlyList<float[]> inputs) => throw new InvalidOperationException("session failed");
        public void Dispose() { }
    }
}
