using Retrieval.Core.Storage;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Replication;

/// <summary>Replicas (engines with their own gallery folders) sharing one gallery in a real PostgreSQL, with the fake model.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaEngineTests(PostgresCluster cluster) : IDisposable
{
    private const int Dim = 8;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _root = Directory.CreateTempSubdirectory("replica-engine-").FullName;

    [Fact]
    public async Task Writes_through_either_replica_reach_both_and_the_writer_sees_its_own_at_once()
    {
        var target = cluster.CreateDatabase();
        var data = WriteData(seedItems: 6);
        await using var a = await StartAsync("a", data, target);
        await using var b = await StartAsync("b", data, target);
        Assert.Equal(6, a.State.Gallery.Count);   // a seeded the new database from --data; b caught up before serving
        Assert.Equal(6, b.State.Gallery.Count);

        var (_, size) = await a.UpsertVectorsAsync([Item(100), Item(101)], None);
        Assert.Equal(8, size);                     // applied on the writing replica before the reply
        await GalleryDatabase.EventuallyAsync(() => b.State.Gallery.Count == 8, "b follows a's upsert");
        var (deleted, notFound, _) = await b.DeleteAsync([100, 999], None);
        Assert.Equal((1, 1), (deleted, notFound));
        await GalleryDatabase.EventuallyAsync(() => a.State.Gallery.Count == 7, "a follows b's delete");
        Assert.Equal(Ids(a), Ids(b));
        Assert.Equal(0, a.State.Replica!.Status.Lag);
    }

    [Fact]
    public async Task A_restarted_replica_serves_what_it_missed_from_its_first_answer()
    {
        var target = cluster.CreateDatabase();
        var data = WriteData(seedItems: 4);
        await using var a = await StartAsync("a", data, target);
        await (await StartAsync("b", data, target)).DisposeAsync();
        await a.UpsertVectorsAsync([Item(100), Item(101), Item(102)], None);
        await a.DeleteAsync([0, 1], None);
        await using var b = await StartAsync("b", data, target);
        Assert.Equal(Ids(a), Ids(b));
        Assert.Equal(a.State.Replica!.Status.AppliedSequence, b.State.Replica!.Status.AppliedSequence);
    }

    [Fact]
    public async Task With_the_database_down_searches_go_on_and_writes_fail_as_unavailable()
    {
        var target = cluster.CreateDatabase();
        var data = WriteData(seedItems: 4);
        await using var a = await StartAsync("a", data, target);
        cluster.Stop();
        try
        {
            Assert.Equal(4, a.SearchByVector(ItemVector(1), new SearchQuery(10)).Length);
            var e = await Assert.ThrowsAsync<StoreException>(() => a.UpsertVectorsAsync([Item(100)], None));
            Assert.Equal(StoreError.Unavailable, e.Error);
            Assert.Equal(4, a.State.Gallery.Count);
        }
        finally { cluster.Start(); }
        await a.UpsertVectorsAsync([Item(100)], None);
        Assert.Equal(5, a.State.Gallery.Count);
    }

    [Fact]
    public async Task A_model_reload_switches_the_shared_gallery_and_other_replicas_follow_once_reloaded()
    {
        var target = cluster.CreateDatabase();
        var data = WriteData(seedItems: 5);
        await using var a = await StartAsync("a", data, target);
        await using var b = await StartAsync("b", data, target);
        // The same new model file in each replica's models folder (the folder of its --model).
        const string newModel = "model-minus.onnx";
        foreach (var replica in new[] { "a", "b" }) FakeModelLoader.Write(Path.Combine(_root, replica, newModel), -1);

        var reload = await a.ReloadAsync(newModel, None);
        Assert.Equal((5, 0), (reload.IndexSize, reload.DroppedItems));
        // b still serves its copy embedded by the old model, never mixed with the new one, and refuses writes.
        await GalleryDatabase.EventuallyAsync(() => b.State.Replica!.Status.Problem is not null, "b notices the switch");
        Assert.Contains(reload.ModelSha256, b.State.Replica!.Status.Problem);
        Assert.Equal(5, b.State.Gallery.Count);
        Assert.Equal(StoreError.ModelMismatch, (await Assert.ThrowsAsync<StoreException>(() => b.UpsertVectorsAsync([Item(100)], None))).Error);
        // Reloaded with the gallery's model, b copies the database's embeddings (no re-embedding) and follows again.
        await b.ReloadAsync(newModel, None);
        Assert.Equal(Ids(a), Ids(b));
        var query = ItemVector(2).Select(x => -x).ToArray();   // the new model's embedding of item 2's image
        Assert.Equal(2, a.SearchByVector(query, new SearchQuery(1, Exact: true))[0].Id);
        Assert.Equal(2, b.SearchByVector(query, new SearchQuery(1, Exact: true))[0].Id);
        await a.UpsertVectorsAsync([Item(100)], None);
        await GalleryDatabase.EventuallyAsync(() => b.State.Gallery.Count == 6, "b follows writes after its reload");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<RetrievalEngine> StartAsync(string name, string data, PostgresTarget target)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var engine = TestEngine.Create(dir, Dim, data, new PostgresGallery(target));
        await engine.StartAsync(None);
        return engine;
    }

    // An In-Shop style data root whose gallery rows are fake images (what --data seeds a new shared gallery from).
    private string WriteData(int seedItems)
    {
        var root = Directory.CreateDirectory(Path.Combine(_root, "data", "img")).Parent!.FullName;
        var rows = new List<string>();
        for (int i = 0; i < seedItems; i++)
        {
            File.WriteAllBytes(Path.Combine(root, "img", $"item{i}.fake"), FakeImage.Encode(ItemVector(i)));
            rows.Add($"img/item{i}.fake id_{i % 2} gallery");
        }
        File.WriteAllLines(Path.Combine(root, "list_eval_partition.txt"), [rows.Count.ToString(), "image_name item_id evaluation_status", .. rows]);
        return root;
    }

    private static float[] ItemVector(int i) => FakeImage.Vector(500 + i, Dim);

    private static VectorItem Item(long id) => new(id, new ItemMetadata($"id_{id % 2}", ""), ItemVector((int)id));

    private static long[] Ids(RetrievalEngine engine) => [.. engine.State.Gallery.Collection.Items.Select(i => i.Key).Order()];
}
