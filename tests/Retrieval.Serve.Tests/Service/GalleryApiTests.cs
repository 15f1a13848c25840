using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Retrieval.Core.Storage;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.Serve.Gallery;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>UpsertVectors, attributes, search filters, persistence across restarts and migration, through the real service.</summary>
public sealed class GalleryApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gallery-api").FullName;
    private readonly string _model;

    public GalleryApiTests() => _model = FakeModelLoader.Write(Path.Combine(_dir, "model.onnx"), 1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Settings(string? compactAfter = null) => new()
    {
        ["Model"] = _model,
        ["Index"] = Path.Combine(_dir, "gallery"),
        ["CompactAfter"] = compactAfter ?? "8192",
    };

    private static V1.VectorItem Vector(long id, string label, string? colour = null, int seed = 0)
    {
        var item = new V1.VectorItem { ItemId = id, Label = label };
        item.Embedding.AddRange(FakeImage.Vector((int)id * 31 + seed, ServingHost.Dim));
        if (colour is not null) item.Attributes["colour"] = colour;
        return item;
    }

    private static UpsertVectorsRequest Batch(IEnumerable<V1.VectorItem> items)
    {
        var request = new UpsertVectorsRequest();
        request.Items.AddRange(items);
        return request;
    }

    private static SearchByVectorRequest Query(V1.VectorItem like, int k, Filter? filter = null, bool exact = false)
    {
        var request = new SearchByVectorRequest { Options = new SearchOptions { K = k, Exact = exact, Filter = filter } };
        request.Embedding.AddRange(like.Embedding);
        return request;
    }

    [Fact]
    public async Task VectorsUpsertedWithAttributesAreFilteredInsideTheSearchAndSurviveRestarts()
    {
        var items = Enumerable.Range(0, 200).Select(i => Vector(i, $"c{i % 4}", i % 25 == 0 ? "red" : "grey")).ToList();
        var red = new Filter { Attributes = { ["colour"] = "red" } };
        await using (var host = await ServingHost.StartAsync(Settings(compactAfter: "60")))
        {
            for (int start = 0; start < items.Count; start += 50)
            {
                var reply = await host.Client.UpsertVectorsAsync(Batch(items.Skip(start).Take(50)));
                Assert.Equal((50, start + 50L), (reply.Upserted, reply.IndexSize));
            }
            foreach (bool exact in new[] { false, true })
            {
                var hits = (await host.Client.SearchByVectorAsync(Query(items[7], 5, red, exact))).Neighbors;
                Assert.Equal(5, hits.Count); // 8 red items exist: k = 5 of them come back although none is near item 7
                Assert.All(hits, h => Assert.Equal("red", h.Attributes["colour"]));
            }
            var labelled = (await host.Client.SearchByVectorAsync(Query(items[7], 10, new Filter { Labels = { "c1", "c2" } }))).Neighbors;
            Assert.Equal(10, labelled.Count);
            Assert.All(labelled, h => Assert.Contains(h.Label, new[] { "c1", "c2" }));
            Assert.Empty((await host.Client.SearchByVectorAsync(Query(items[7], 3, new Filter { Labels = { "none" } }))).Neighbors);
            await host.Client.UpsertVectorsAsync(Batch([Vector(7, "renamed", "blue", seed: 1)]));
            await host.Client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { 0, 25 } });
        }
        // The committed snapshot (the one MANIFEST names) is a later one than the first: a compaction ran (CompactAfter 60).
        var committed = CollectionManifest.Read(Path.Combine(_dir, "gallery"));
        Assert.True(committed.Sequence > 0 && committed.IndexFile != "snapshot-00000000000000000000.index", committed.IndexFile);
        Assert.True(File.Exists(Path.Combine(_dir, "gallery", committed.IndexFile)), committed.IndexFile);

        await using (var restarted = await ServingHost.StartAsync(Settings()))
        {
            Assert.Equal(198, (await restarted.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
            var seven = (await restarted.Client.SearchByVectorAsync(Query(Vector(7, "", seed: 1), 1))).Neighbors[0];
            Assert.Equal((7L, "renamed", "blue"), (seven.ItemId, seven.Label, seven.Attributes["colour"]));
            Assert.Equal(1f, seven.Score, 4);
            var reds = (await restarted.Client.SearchByVectorAsync(Query(items[3], 20, red))).Neighbors;
            Assert.Equal([50L, 75, 100, 125, 150, 175], reds.Select(h => h.ItemId).Order());
        }
        // After a start only the committed snapshot is left (a start removes any other, naming it in a warning).
        Assert.Equal([CollectionManifest.Read(Path.Combine(_dir, "gallery")).IndexFile],
            Directory.GetFiles(Path.Combine(_dir, "gallery"), "snapshot-*.index").Select(Path.GetFileName));
    }

    [Fact]
    public async Task BadVectorUpsertsAndFiltersAreInvalidArgumentsAndChangeNothing()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        await host.Client.UpsertVectorsAsync(Batch([Vector(1, "a")]));
        var wrong = Vector(2, "a");
        wrong.Embedding.Add(1);
        await AssertInvalid("item 2", host.Client.UpsertVectorsAsync(Batch([Vector(3, "a"), wrong])).ResponseAsync);
        await AssertInvalid("items is empty", host.Client.UpsertVectorsAsync(new UpsertVectorsRequest()).ResponseAsync);
        await AssertInvalid("label is empty", host.Client.UpsertVectorsAsync(Batch([Vector(4, " ")])).ResponseAsync);
        var zero = new V1.VectorItem { ItemId = 5, Label = "a" };
        zero.Embedding.AddRange(new float[ServingHost.Dim]);
        await AssertInvalid("non-zero", host.Client.UpsertVectorsAsync(Batch([zero])).ResponseAsync);
        var badFilter = new Filter { Attributes = { [""] = "x" } };
        await AssertInvalid("options.filter", host.Client.SearchByVectorAsync(Query(Vector(1, "a"), 1, badFilter)).ResponseAsync);
        Assert.Equal(1, (await host.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
    }

    [Fact]
    public async Task AnOldSingleFileGalleryIsRefusedThenMigratedOnceAndLeftUntouched()
    {
        var legacy = Path.Combine(_dir, "gallery.idx");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_model)));
        var items = Enumerable.Range(0, 6).Select(i => new Core.Storage.VectorItem(i, new ItemMetadata($"c{i % 2}", $"img/{i}.png"), ServingHost.ItemVector(i))).ToArray();
        LegacyGalleryFile.Write(legacy, sha, ServingHost.Dim, items);
        var before = File.ReadAllBytes(legacy);

        var settings = Settings();
        settings["Index"] = legacy;
        var options = new ServerOptions { Model = _model, Index = legacy };
        var engine = new Retrieval.Serve.Engine.RetrievalEngine(Microsoft.Extensions.Options.Options.Create(options), new FakeModelLoader(ServingHost.Dim),
            new ExactIndexFactory(), new Retrieval.Serve.Engine.ServingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Retrieval.Serve.Engine.RetrievalEngine>.Instance);
        Assert.Contains("--migrate-from", (await Assert.ThrowsAsync<InvalidDataException>(() => engine.StartAsync(CancellationToken.None))).Message);

        settings = Settings();
        settings["MigrateFrom"] = legacy;
        await using (var host = await ServingHost.StartAsync(settings))
        {
            Assert.Equal(6, (await host.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
            var hit = (await host.Client.SearchByVectorAsync(new SearchByVectorRequest { Embedding = { ServingHost.ItemVector(4) }, Options = new SearchOptions { K = 1 } })).Neighbors[0];
            Assert.Equal((4L, "c0", "img/4.png"), (hit.ItemId, hit.Label, hit.ImagePath));
        }
        Assert.Equal(before, File.ReadAllBytes(legacy));
        await using (var again = await ServingHost.StartAsync(settings)) // the folder exists now: --migrate-from is ignored
            Assert.Equal(6, (await again.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
    }

    [Fact]
    public async Task UpsertVectorsIsAnAdminCall()
    {
        var settings = Settings();
        settings["Host"] = "0.0.0.0";
        settings["ApiKey"] = "reader";
        settings["AdminKey"] = "admin";
        await using var host = await ServingHost.StartAsync(settings);
        var read = new Metadata { { "x-api-key", "reader" } };
        var e = await Assert.ThrowsAsync<RpcException>(() => host.Client.UpsertVectorsAsync(Batch([Vector(1, "a")]), read).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        var reply = await host.Client.UpsertVectorsAsync(Batch([Vector(1, "a")]), new Metadata { { "x-api-key", "admin" } });
        Assert.Equal(1, reply.IndexSize);
        Assert.Single((await host.Client.SearchByVectorAsync(Query(Vector(1, "a"), 1), read)).Neighbors);
    }

    [Fact]
    public void HnswSettingsBindFromConfigurationAsOneOptionsType()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Retrieval:Hnsw:M"] = "8", ["Retrieval:Hnsw:DefaultEf"] = "40",
        }).Build();
        var options = config.GetSection(ServerOptions.Section).Get<ServerOptions>()!;
        Assert.Equal(new Core.Search.HnswOptions(M: 8, DefaultEf: 40), options.Hnsw);
        Assert.Equal(new Core.Search.HnswOptions(), new ServerOptions().Hnsw);
    }

    private static async Task AssertInvalid(string messagePart, Task call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(messagePart, e.Status.Detail);
    }
}
