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
    public async Task Only_a_new_gallery_is_seeded()
    {
        var target = cluster.CreateDatabase();
        await using var a = new PostgresGallery(target);
        await using var b = new PostgresGallery(target);
        var seeds = await Task.WhenAll(a.SeedAsync([GalleryDatabase.Item(1)], MemorySink.Model, None), b.SeedAsync([GalleryDatabase.Item(2)], MemorySink.Model, None));
        Assert.Equal([0L, 1L], seeds.Order());   // replicas started together: one seeds, the other finds it seeded
        Assert.Single(await GalleryDatabase.LiveItemsAsync(target));
        await a.DeleteAsync([1, 2], MemorySink.Model, None);
        Assert.Equal(0, await a.SeedAsync([GalleryDatabase.Item(3)], MemorySink.Model, None));   // emptied is not new
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

    [Fact]
    public async Task A_model_switch_rewrites_the_gallery_in_one_change_and_holds_writers_back_meanwhile()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await using var other = new PostgresGallery(target);
        await gallery.UpsertAsync([.. Enumerable.Range(1, 5).Select(i => GalleryDatabase.Item(i))], MemorySink.Model, None);
        var reembedding = new TaskCompletionSource();
        var proceed = new TaskCompletionSource();
        var switching = gallery.SwitchModelAsync("model-b", 6, async (live, _) =>
        {
            reembedding.SetResult();
            await proceed.Task;
            // Item 5's image could not be read: it is left out, so the switch drops it.
            return [.. live.Where(r => r.Id != 5).Select(r => new ItemWrite(r.Id, r.Label, r.ImagePath, r.Attributes, [r.Id, 1, 1, 1, 1, 1]))];
        }, None);
        await reembedding.Task;
        var blocked = other.UpsertAsync([GalleryDatabase.Item(9)], MemorySink.Model, None);
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted);   // waits on the gallery's write lock
        proceed.SetResult();
        Assert.Equal((2L, 4, 1), await switching);
        // The waiting writer then sees the new model and is refused: no model-a embedding lands after the switch.
        Assert.Equal(StoreError.ModelMismatch, (await Assert.ThrowsAsync<StoreException>(() => blocked)).Error);

        var state = await gallery.ReadStateAsync(None);
        Assert.Equal((2L, "model-b", (int?)6), (state.Sequence, state.ModelSha256, state.Dimension));
        var live = await GalleryDatabase.LiveItemsAsync(target);
        Assert.Equal([1L, 2L, 3L, 4L], live.Keys.Order());
        Assert.All(live, kv => Assert.Equal(6, kv.Value.Embedding.Length));
    }

    [Fact]
    public async Task A_writer_held_back_longer_than_the_lock_timeout_fails_as_unavailable_and_writes_nothing()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await using var other = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var switching = gallery.SwitchModelAsync("model-b", 4, async (live, _) =>
        {
            holding.SetResult();
            await release.Task;
            return [];
        }, None);
        await holding.Task;
        var e = await Assert.ThrowsAsync<StoreException>(() => other.UpsertAsync([GalleryDatabase.Item(2)], MemorySink.Model, None));
        release.SetResult();
        await switching;
        Assert.Equal(StoreError.Unavailable, e.Error);
        Assert.Contains("model switch may be running", e.Message);
        Assert.Contains("nothing was written", e.Message);
        Assert.Empty(await GalleryDatabase.LiveItemsAsync(target));   // the switch dropped item 1; item 2 never landed
    }

    [Fact]
    public async Task A_failed_model_switch_changes_nothing()
    {
        var target = cluster.CreateDatabase();
        await using var gallery = new PostgresGallery(target);
        await gallery.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, None);
        await Assert.ThrowsAsync<IOException>(() => gallery.SwitchModelAsync("model-b", 6, (_, _) => throw new IOException("model file vanished"), None));
        await Assert.ThrowsAsync<ArgumentException>(() => gallery.SwitchModelAsync("model-b", 6,
            (live, _) => Task.FromResult<IReadOnlyList<ItemWrite>>([new ItemWrite(1, "x", "", new Dictionary<string, string>(), [1, 2])]), None));
        var state = await gallery.ReadStateAsync(None);
        Assert.Equal((1L, MemorySink.Model), (state.Sequence, state.ModelSha256));
        Assert.Equal(4, (await GalleryDatabase.LiveItemsAsync(target))[1].Embedding.Length);
    }

    [Fact]
    public async Task A_password_left_out_of_the_url_comes_from_PGPASSWORD()
    {
        var withoutPassword = cluster.Url.Replace($":{PasswordOf(cluster.Url)}@", "@");
        var previous = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", PasswordOf(cluster.Url));
        try
        {
            await using var gallery = new PostgresGallery(PostgresTarget.Parse(withoutPassword));
            Assert.Equal(0, (await gallery.ReadStateAsync(None)).Sequence);
        }
        finally { Environment.SetEnvironmentVariable("PGPASSWORD", previous); }
        await using var refused = new PostgresGallery(PostgresTarget.Parse(withoutPassword));
        Assert.Contains("password", (await Assert.ThrowsAsync<StoreException>(() => refused.ReadStateAsync(None))).Message);
    }

    private static string PasswordOf(string url) => url.Split("://")[1].Split('@')[0].Split(':')[1];
}
