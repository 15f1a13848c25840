using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

[Collection(PostgresCollection.Name)]
public sealed class PostgresGalleryTests(PostgresCluster cluster)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Writes_take_consecutive_sequences_and_store_the_latest_state()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        Assert.Equal(1, await gallery.UpsertAsync([GalleryDatabase.Item(1), GalleryDatabase.Item(2), GalleryDatabase.Item(1, version: 5)], MemorySink.Model, None));
        Assert.Equal(2, await gallery.UpsertAsync([GalleryDatabase.Item(3)], MemorySink.Model, None));
        Assert.Equal((3L, 1), await gallery.DeleteAsync([2, 2, 99], MemorySink.Model, None));

        var live = await GalleryDatabase.LiveItemsAsync(target);
        Assert.Equal([1L, 3L], live.Keys.Order());
        Assert.Equal("5", live[1].Version);                       // the last of repeated ids wins
        Assert.Equal(GalleryDatabase.Item(1, 5).Embedding, live[1].Embedding);
        var batch = await gallery.ReadChangesAsync(0, 0, 10, None);
        Assert.Equal((3L, MemorySink.Model, (int?)4), (batch.State.Sequence, batch.State.ModelSha256, batch.State.Dimension));
        Assert.NotEqual(Guid.Empty, batch.State.GalleryId);
        var tombstone = Assert.Single(batch.Rows, r => r.Deleted);
        Assert.Equal((2L, 3L, "", null), (tombstone.Id, tombstone.Sequence, tombstone.Label, tombstone.Embedding));
    }

    [Fact]
    public async Task A_delete_of_nothing_live_is_no_change()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        Assert.Equal((2L, 1), await gallery.DeleteAsync([1], MemorySink.Model, None));
        Assert.Equal((2L, 0), await gallery.DeleteAsync([1, 7], MemorySink.Model, None));
        Assert.Equal(2L, (await gallery.ReadStateAsync(None)).Sequence);
    }

    [Fact]
    public async Task Concurrent_writers_commit_in_sequence_order_without_gaps()
    {
        var target = cluster.CreateDatabase();
        await using var a = new PostgresGallery(target);
        await using var b = new PostgresGallery(target);
        var sequences = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? a : b).UpsertAsync([GalleryDatabase.Item(i % 10, version: i)], MemorySink.Model, None)));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), sequences.Order());
        // Each item holds the version written by the last commit that touched it.
        var live = await GalleryDatabase.LiveItemsAsync(target);
        for (int id = 0; id < 10; id++)
        {
            int last = Enumerable.Range(0, 40).Where(i => i % 10 == id).MaxBy(i => sequences[i]);
            Assert.Equal(last.ToString(), live[id].Version);
        }
    }

    [Fact]
    public async Task Writes_of_another_model_are_refused()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        var e = await Assert.ThrowsAsync<StoreException>(() => gallery.UpsertAsync([GalleryDatabase.Item(2)], "model-b", None));
        Assert.Equal(StoreError.ModelMismatch, e.Error);
        Assert.Contains("model-a", e.Message);
        e = await Assert.ThrowsAsync<StoreException>(() => gallery.DeleteAsync([1], "model-b", None));
        Assert.Equal(StoreError.ModelMismatch, e.Error);
        Assert.Equal(1L, (await gallery.ReadStateAsync(None)).Sequence);
    }

    [Fact]
    public async Task Writes_while_the_database_is_down_fail_as_unavailable_and_work_again_after()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        cluster.Stop();
        try
        {
            var e = await Assert.ThrowsAsync<StoreException>(() => gallery.UpsertAsync([GalleryDatabase.Item(2)], MemorySink.Model, None));
            Assert.Equal(StoreError.Unavailable, e.Error);
            Assert.Contains("nothing was written", e.Message);
            Assert.DoesNotContain(PasswordOf(cluster.Url), e.Message);
        }
        finally { cluster.Start(); }
        // The pool's connections died with the server: the first write after the restart still succeeds.
        Assert.Equal(2, await gallery.UpsertAsync([GalleryDatabase.Item(2)], MemorySink.Model, None));
        Assert.Equal([1L, 2L], (await GalleryDatabase.LiveItemsAsync(target)).Keys.Order());
    }

    private static string PasswordOf(string url) => url.Split("://")[1].Split('@')[0].Split(':')[1];
}
