using Retrieval.Train.Data;

namespace Retrieval.Train.Tests.Data;

public sealed class PrefetcherTests
{
    [Fact]
    public void YieldsEveryItemInOrder()
    {
        var items = Prefetcher.Run(50, i => i * i, capacity: 3).ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), items);
    }

    [Fact]
    public void ProducesAheadOfTheConsumerButNoMoreThanTheCapacity()
    {
        var produced = 0;
        using var e = Prefetcher.Run(20, i => { Interlocked.Increment(ref produced); return i; }, capacity: 4).GetEnumerator();
        Assert.True(e.MoveNext());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref produced) < 5 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Thread.Sleep(50);
        // One item taken, four buffered, and at most one more being produced (blocked on the full channel).
        Assert.InRange(Volatile.Read(ref produced), 5, 6);
    }

    [Fact]
    public void AProducerErrorReachesTheConsumer()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            Prefetcher.Run(10, i => i == 3 ? throw new InvalidDataException("bad image 3") : i, 2).ToList());
        Assert.Equal("bad image 3", e.Message);
    }
}
