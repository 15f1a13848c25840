using System.Threading.Channels;

namespace Retrieval.Train.Data;

/// <summary>
/// Bounded producer/consumer prefetch: a background task produces items 0..count-1 in order into a
/// channel of <c>capacity</c> slots while the consumer (the training step) takes them, so decoding and
/// augmentation run ahead of the step instead of between steps. A producer exception is rethrown to the
/// consumer; disposing the enumerator early cancels the producer.
/// </summary>
public static class Prefetcher
{
    /// <summary>Yields <paramref name="produce"/>(0..count-1) in order, produced ahead on a background task.</summary>
    public static IEnumerable<T> Run<T>(int count, Func<int, T> produce, int capacity)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var cts = new CancellationTokenSource();
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < count; i++)
                    await channel.Writer.WriteAsync(produce(i), cts.Token).ConfigureAwait(false);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        });
        try
        {
            var reader = channel.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (reader.TryRead(out var item))
                    yield return item;
        }
        finally
        {
            cts.Cancel();
            try { producer.GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
        }
    }
}
