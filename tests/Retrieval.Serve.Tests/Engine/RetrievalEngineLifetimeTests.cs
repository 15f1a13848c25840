using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Engine;

/// <summary>The engine owns its models: a replaced model is disposed once no request uses it, the live one at shutdown.</summary>
public sealed class RetrievalEngineLifetimeTests : TempDirectoryTest
{
    [Fact]
    public async Task AReplacedModelIsDisposedOnceTheLastRequestUsingItEnds()
    {
        var loader = new FakeModelLoader(2);
        var engine = TestEngine.Create(Dir, 2, loader: loader);
        await engine.StartAsync(CancellationToken.None);
        var first = loader.Loaded.Single();
        using var hold = new SemaphoreSlim(0);
        first.Hold = hold;
        var embedding = engine.EmbedAsync(FakeImage.Encode([1f, 0f]), CancellationToken.None);
        await first.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await engine.ReloadAsync(null, CancellationToken.None);
        var second = loader.Loaded[1];
        var retired = engine.WhenRetiredAsync();
        Assert.False(first.Disposed, "the replaced model was disposed under a running request");
        Assert.False(retired.IsCompleted);

        hold.Release();
        Assert.Equal(new[] { 1f, 0f }, await embedding);
        await retired.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.Disposed, "the replaced model outlived its last request");
        Assert.False(second.Disposed);

        await engine.DisposeAsync();
        Assert.True(second.Disposed, "the live model was not disposed with the engine");
    }

    [Fact]
    public async Task AReplacedModelNoRequestUsesIsDisposedWithoutDelay()
    {
        var loader = new FakeModelLoader(2);
        var engine = TestEngine.Create(Dir, 2, loader: loader);
        await engine.StartAsync(CancellationToken.None);
        await engine.ReloadAsync(null, CancellationToken.None);
        await engine.ReloadAsync(null, CancellationToken.None);
        await engine.WhenRetiredAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([true, true, false], loader.Loaded.Select(m => m.Disposed));
        Assert.Equal(new[] { 1f, 0f }, await engine.EmbedAsync(FakeImage.Encode([1f, 0f]), CancellationToken.None));
        Assert.Single(loader.Loaded[2].Batches); // the request ran on the live model
        await engine.DisposeAsync();
    }
}
