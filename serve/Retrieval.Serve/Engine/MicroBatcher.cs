using System.Threading.Channels;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Gathers concurrent embedding requests into one model call: a batch closes when it holds MaxBatch inputs or
/// MaxWait has passed since its first input. With MaxBatch = 1 every request calls the model on its own thread.
/// Cancelled requests are dropped before the model runs.
/// </summary>
public sealed class MicroBatcher : IAsyncDisposable
{
    private readonly IEmbeddingModel _model;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly ServingMetrics _metrics;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _worker;

    /// <summary>Starts the batching worker over <paramref name="model"/>.</summary>
    public MicroBatcher(IEmbeddingModel model, int maxBatch, TimeSpan maxWait, ServingMetrics metrics)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "MaxBatch must be >= 1.");
        if (maxWait < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "MaxWait must be >= 0.");
        (_model, _maxBatch, _maxWait, _metrics) = (model, maxBatch, maxWait, metrics);
        _worker = maxBatch > 1 ? Task.Run(RunAsync) : Task.CompletedTask;
    }

    /// <summary>The model this batcher feeds.</summary>
    public IEmbeddingModel Model => _model;

    /// <summary>Embeds one preprocessed input, batched with whatever else is waiting.</summary>
    public Task<float[]> EmbedAsync(float[] input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_maxBatch == 1)
            return Task.Run(() =>
            {
                _metrics.BatchSize.Observe(1);
                return _model.EmbedBatch([input])[0];
            }, cancellationToken);
        var pending = new Pending(input, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            if (!reader.TryRead(out var first)) continue;
            batch.Add(first);
            await FillAsync(batch, reader).ConfigureAwait(false);
            Run(batch);
        }
    }

    private async Task FillAsync(List<Pending> batch, ChannelReader<Pending> reader)
    {
        var deadline = DateTime.UtcNow + _maxWait;
        while (batch.Count < _maxBatch)
        {
            if (reader.TryRead(out var next)) { batch.Add(next); continue; }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return;
            using var timeout = new CancellationTokenSource(left);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false)) return;
            }
            catch (OperationCanceledException) { return; }
        }
    }

    private void Run(List<Pending> batch)
    {
        batch.RemoveAll(p => p.Cancellation.IsCancellationRequested && p.Result.TrySetCanceled(p.Cancellation));
        if (batch.Count == 0) return;
        try
        {
            _metrics.BatchSize.Observe(batch.Count);
            var outputs = _model.EmbedBatch(batch.Select(p => p.Input).ToArray());
            for (int i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(outputs[i]);
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Result.TrySetException(e);
        }
    }

    /// <summary>Stops accepting requests and waits for the queued ones to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private sealed record Pending(float[] Input, CancellationToken Cancellation)
    {
        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
