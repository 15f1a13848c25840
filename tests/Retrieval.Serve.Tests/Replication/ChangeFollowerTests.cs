using Microsoft.Extensions.Logging.Abstractions;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

[Collection(PostgresCollection.Name)]
public sealed class ChangeFollowerTests(PostgresCluster cluster)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly FollowerOptions Quick = new() { PollInterval = TimeSpan.FromMilliseconds(200), RetryMin = TimeSpan.FromMilliseconds(50), RetryMax = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Catch_up_in_small_pages_reaches_the_database_state()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        var random = new Random(7);
        for (int change = 0; change < 30; change++)
        {
            if (change % 4 == 3) await gallery.DeleteAsync([random.Next(40), random.Next(40)], MemorySink.Model, None);
            else await gallery.UpsertAsync([.. Enumerable.Range(0, 5).Select(_ => GalleryDatabase.Item(random.Next(40), change))], MemorySink.Model, None);
        }
        var head = (await gallery.ReadStateAsync(None)).Sequence;
        // Pages of 3 rows split the 5-item changes: the applied sequence must only pass changes read in full.
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(gallery, sink, 0, null, NullLogger.Instance, new FollowerOptions { PageRows = 3 });
        Assert.Equal(head, await follower.CatchUpAsync(None));
        Assert.Equal(head, sink.Applied);
        await GalleryDatabase.AssertSameAsync(target, sink);
        Assert.Equal(0, follower.Status.Lag);
    }

    [Fact]
    public async Task Two_followers_converge_on_writes_made_through_both()
    {
        var target = cluster.CreateDatabase();
        await using var a = new PostgresGallery(target);
        await using var b = new PostgresGallery(target);
        var (sinkA, sinkB) = (new MemorySink(), new MemorySink());
        await using var followerA = new ChangeFollower(a, sinkA, 0, null, NullLogger.Instance, Quick);
        await using var followerB = new ChangeFollower(b, sinkB, 0, null, NullLogger.Instance, Quick);
        followerA.Start();
        followerB.Start();
        var writes = Enumerable.Range(0, 20).Select(i => i % 5 == 4
            ? (i % 2 == 0 ? a : b).DeleteAsync([i - 1, i - 3], MemorySink.Model, None).ContinueWith(t => t.Result.Sequence)
            : (i % 2 == 0 ? a : b).UpsertAsync([GalleryDatabase.Item(i % 8, i), GalleryDatabase.Item(i)], MemorySink.Model, None));
        await Task.WhenAll(writes);
        long head = (await a.ReadStateAsync(None)).Sequence;
        await GalleryDatabase.EventuallyAsync(() => sinkA.Applied == head && sinkB.Applied == head, "both followers applied the last change");
        await GalleryDatabase.AssertSameAsync(target, sinkA);
        await GalleryDatabase.AssertSameAsync(target, sinkB);
    }

    [Fact]
    public async Task A_notification_wakes_the_follower_before_its_poll()
    {
        var target = cluster.CreateDatabase();
        await using var writer = new PostgresGallery(target);
        await using var reader = new PostgresGallery(target);
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(reader, sink, 0, null, NullLogger.Instance, new FollowerOptions { PollInterval = TimeSpan.FromHours(1) });
        follower.Start();
        await GalleryDatabase.EventuallyAsync(() => follower.Status.Connected, "the follower listens");
        await Task.Delay(200);   // LISTEN is issued before Connected is set; give the first catch-up time to park in WaitAsync
        long sequence = await writer.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        // With an hour between polls, only the NOTIFY of the commit can bring the change in.
        await GalleryDatabase.EventuallyAsync(() => sink.Applied == sequence, "the notified change is applied");
        Assert.Equal([1L], sink.Items.Keys);
    }

    [Fact]
    public async Task A_replica_that_was_away_catches_up_from_its_applied_sequence()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        var sink = new MemorySink();
        for (int i = 0; i < 5; i++) await gallery.UpsertAsync([GalleryDatabase.Item(i)], MemorySink.Model, None);
        long applied;
        await using (var first = new ChangeFollower(gallery, sink, 0, null, NullLogger.Instance))
            applied = await first.CatchUpAsync(None);
        // While it is away: more upserts, deletes of items it has, a re-upsert of a deleted one.
        await gallery.UpsertAsync([GalleryDatabase.Item(2, 9), GalleryDatabase.Item(7)], MemorySink.Model, None);
        await gallery.DeleteAsync([0, 3, 7], MemorySink.Model, None);
        await gallery.UpsertAsync([GalleryDatabase.Item(3, 4)], MemorySink.Model, None);
        int rowsBefore = sink.RowsSeen;
        await using var again = new ChangeFollower(gallery, sink, applied, null, NullLogger.Instance);
        Assert.Equal(applied + 3, await again.CatchUpAsync(None));
        await GalleryDatabase.AssertSameAsync(target, sink);
        Assert.Equal(4, sink.RowsSeen - rowsBefore);   // only the latest state of what changed after its sequence: 2, 0, 7, 3
    }

    [Fact]
    public async Task Following_survives_a_database_outage_and_resumes_after_it()
    {
        var target = cluster.CreateDatabase();
        await using var writer = new PostgresGallery(target);
        await using var reader = new PostgresGallery(target);
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(reader, sink, 0, null, NullLogger.Instance, Quick);
        follower.Start();
        long first = await writer.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        await GalleryDatabase.EventuallyAsync(() => sink.Applied == first, "the first change is applied");
        cluster.Stop();
        try
        {
            await GalleryDatabase.EventuallyAsync(() => !follower.Status.Connected, "the follower notices the outage");
            Assert.Contains("is unavailable", follower.Status.Problem);
            Assert.Equal([1L], sink.Items.Keys);   // the local gallery stays as it was
        }
        finally { cluster.Start(); }
        long second = await writer.UpsertAsync([GalleryDatabase.Item(2)], MemorySink.Model, None);
        await GalleryDatabase.EventuallyAsync(() => sink.Applied == second, "the change made after the outage is applied");
        await GalleryDatabase.EventuallyAsync(() => follower.Status.Connected && follower.Status.Problem is null, "the follower reports itself healthy");
        await GalleryDatabase.AssertSameAsync(target, sink);
    }

    [Fact]
    public async Task A_change_to_another_model_stops_the_follower_before_it()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1), GalleryDatabase.Item(2)], MemorySink.Model, None);
        long beforeSwitch = await gallery.UpsertAsync([GalleryDatabase.Item(3)], MemorySink.Model, None);
        // Another model takes over the gallery (what a model switch commits): new embeddings at one sequence.
        await PostgresCluster.ScalarAsync(target, "UPDATE gallery_state SET sequence = sequence + 1, model_sha256 = 'model-b'");
        await PostgresCluster.ScalarAsync(target, $"UPDATE gallery_items SET sequence = {beforeSwitch + 1}, model_sha256 = 'model-b' WHERE id IN (1, 3)");
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(gallery, sink, 0, null, NullLogger.Instance);
        Assert.Equal(beforeSwitch, await follower.CatchUpAsync(None));
        Assert.Equal([2L], sink.Items.Keys);   // item 2 (model a, before the switch) only; never a model-b embedding
        Assert.Contains("model-b", follower.Status.Problem);
        Assert.Equal(1, follower.Status.Lag);
        Assert.Equal(beforeSwitch, await follower.CatchUpAsync(None));   // and it stays there
    }

    [Fact]
    public async Task A_change_the_gallery_refuses_is_reported_and_retried_not_skipped()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        long sequence = await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        var sink = new MemorySink { Refuse = new ArgumentException("item 1: vector has 4 values, the collection holds 8.") };
        await using var follower = new ChangeFollower(gallery, sink, 0, null, NullLogger.Instance);
        Assert.Equal(0, await follower.CatchUpAsync(None));
        Assert.Contains("vector has 4 values", follower.Status.Problem);
        sink.Refuse = null;
        Assert.Equal(sequence, await follower.CatchUpAsync(None));
        Assert.Null(follower.Status.Problem);
    }

    [Fact]
    public async Task Another_gallery_than_the_one_followed_is_reported_not_applied()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(gallery, sink, 0, Guid.NewGuid(), NullLogger.Instance);
        Assert.Equal(0, await follower.CatchUpAsync(None));
        Assert.Contains("follows", follower.Status.Problem);
        Assert.Empty(sink.Items);
    }

    [Fact]
    public async Task A_database_behind_the_replica_is_reported_not_followed()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        var sink = new MemorySink();
        await using var follower = new ChangeFollower(gallery, sink, 40, null, NullLogger.Instance);
        Assert.Equal(40, await follower.CatchUpAsync(None));
        Assert.Contains("not the one this replica followed", follower.Status.Problem);
        Assert.Empty(sink.Items);
    }
}
