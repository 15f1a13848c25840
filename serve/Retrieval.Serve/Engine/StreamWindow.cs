using System.Runtime.CompilerServices;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Processes a client stream as it arrives: each message starts its work at once (so the micro-batcher can batch them)
/// and at most <c>window</c> are in flight; results come out in message order. Memory is bounded by the window, not by
/// the stream. When one item fails, the others are cancelled and awaited before the error propagates.
/// </summary>
public static class StreamWindow
{
    /// <summary>Maps every element of <paramref name="source"/> with <paramref name="map"/> (given its index), in order.</summary>
    public static async IAsyncEnumerable<TOut> MapAsync<TIn, TOut>(IAsyncEnumerable<TIn> source,
        Func<TIn, int, CancellationToken, Task<TOut>> map, int window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<TOut>>();
        try
        {
            int index = 0;
            await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                pending.Enqueue(map(item, index++, stop.Token));
                if (pending.Count >= window) yield return await pending.Dequeue().ConfigureAwait(false);
            }
            while (pending.Count > 0) yield return await pending.Dequeue().ConfigureAwait(false);
        }
        finally
        {
            if (pending.Count > 0)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                try { await Task.WhenAll(pending).ConfigureAwait(false); }
                catch (Exception) { /* the first error is the one reported */ }
            }
        }
    }
}
