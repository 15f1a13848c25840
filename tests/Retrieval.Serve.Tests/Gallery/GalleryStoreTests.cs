using Microsoft.Extensions.Logging.Abstractions;
using Retrieval.Core.Storage;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Gallery;

public sealed class GalleryStoreTests : IDisposable
{
    private const int Dim = 8;
    private readonly string _dir = Directory.CreateTempSubdirectory("gallery").FullName;
    private readonly ExactIndexFactory _factory = new();
    private readonly List<GalleryStore> _open = [];

    private string Folder => Path.Combine(_dir, "gallery");

    public void Dispose()
    {
        foreach (var g in _open) g.Collection.Store?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static VectorItem Item(int id, string? colour = null) =>
        new(id, new ItemMetadata($"class{id % 3}", $"img/{id}.png",
            colour is null ? ItemMetadata.NoAttributes : new Dictionary<string, string> { ["colour"] = colour }), FakeImage.Vector(id, Dim));

    private GalleryStore Filled(int n = 20)
    {
        var store = GalleryFolder.Create(Folder, Dim, Path.Combine(_dir, "model.onnx"), "sha-a", Enumerable.Range(0, n).Select(i => Item(i)).ToArray(),
            _factory, new CompactionPolicy(), NullLogger.Instance);
        _open.Add(store);
        return store;
    }

    private GalleryStore Reopen()
    {
        foreach (var g in _open) g.Collection.Store?.Dispose();
        var store = GalleryFolder.Open(Folder, _factory, new CompactionPolicy(), NullLogger.Instance);
        _open.Add(store);
        return store;
    }

    [Fact]
    public void EveryItemFindsItselfFirstWithScoreOne()
    {
        var store = Filled();
        for (int id = 0; id < 20; id++)
        {
            foreach (var exact in new[] { false, true })
            {
                var hits = store.Search(Item(id).Vector, new SearchQuery(3, Exact: exact));
                Assert.Equal(id, hits[0].Id);
                Assert.Equal(1f, hits[0].Score, 5);
                Assert.Equal($"class{id % 3}", hits[0].Label);
                Assert.True(hits[0].Score >= hits[1].Score && hits[1].Score >= hits[2].Score);
            }
        }
    }

    [Fact]
    public void ExactScoresAreCosineSimilarities()
    {
        var store = Filled();
        var query = FakeImage.Vector(999, Dim);
        var best = store.Search(query, new SearchQuery(1, Exact: true))[0];
        var expected = Enumerable.Range(0, 20).Select(i => (i, cos: Cosine(query, FakeImage.Vector(i, Dim)))).MaxBy(x => x.cos);
        Assert.Equal(expected.i, best.Id);
        Assert.Equal(expected.cos, best.Score, 4);
    }

    [Fact]
    public void ScoreThresholdDropsWeakNeighbours()
    {
        var store = Filled();
        var hits = store.Search(Item(5).Vector, new SearchQuery(20, Exact: true, ScoreThreshold: 0.99f));
        Assert.Equal([5L], hits.Select(h => h.Id));
    }

    [Fact]
    public void DeletedItemsAreNeverReturnedAndUpsertReplaces()
    {
        var store = Filled();
        Assert.Equal(2, store.Delete([3, 4, 4, 12345]));
        Assert.DoesNotContain(store.Search(Item(3).Vector, new SearchQuery(20)), h => h.Id is 3 or 4);
        store.Upsert([Item(7) with { Metadata = new ItemMetadata("renamed", ""), Vector = FakeImage.Vector(3, Dim) }]);
        var hit = store.Search(FakeImage.Vector(3, Dim), new SearchQuery(1))[0];
        Assert.Equal((7L, "renamed"), (hit.Id, hit.Label));
        Assert.Equal(18, store.Count);
    }

    [Fact]
    public void AttributesComeBackInHitsAndFilterTheSearch()
    {
        var store = Filled();
        store.Upsert([Item(100, "red"), Item(101, "red"), Item(102, "blue")]);
        var red = new ItemFilter([], new Dictionary<string, string> { ["colour"] = "red" });
        var hits = store.Search(Item(102).Vector, new SearchQuery(5, Filter: red));
        Assert.Equal([100L, 101], hits.Select(h => h.Id).Order());
        Assert.All(hits, h => Assert.Equal("red", h.Attributes["colour"]));
        var byLabel = store.Search(Item(1).Vector, new SearchQuery(4, Exact: true, Filter: new ItemFilter(["class1"], ItemMetadata.NoAttributes)));
        Assert.Equal(4, byLabel.Length);
        Assert.All(byLabel, h => Assert.Equal("class1", h.Label));
    }

    [Fact]
    public void BadRequestsNameTheField()
    {
        var store = Filled();
        Assert.Contains("embedding size is 8", Assert.Throws<GalleryException>(() => store.Search(new float[5], new SearchQuery(1))).Message);
        Assert.Contains("non-zero", Assert.Throws<GalleryException>(() => store.Search(new float[Dim], new SearchQuery(1))).Message);
        Assert.Contains("item 9", Assert.Throws<GalleryException>(() => store.Upsert([Item(9) with { Vector = new float[Dim] }])).Message);
        var tooMany = Enumerable.Range(0, 33).ToDictionary(i => $"k{i}", i => "v");
        Assert.Contains("at most 32", Assert.Throws<GalleryException>(() => store.Upsert([Item(9) with { Metadata = new ItemMetadata("l", "", tooMany) }])).Message);
        var control = new Dictionary<string, string> { ["k"] = "a\nb" };
        Assert.Contains("control", Assert.Throws<GalleryException>(() => store.Upsert([Item(9) with { Metadata = new ItemMetadata("l", "", control) }])).Message);
        store.Collection.Store!.Dispose();
        _open.Clear();
        Directory.Delete(Folder, true);
        var empty = Filled(0);
        Assert.Equal(GalleryError.FailedPrecondition, Assert.Throws<GalleryException>(() => empty.Search(FakeImage.Vector(1, Dim), new SearchQuery(1))).Error);
    }

    [Fact]
    public void AReopenedGalleryAnswersIdentically()
    {
        var store = Filled();
        store.Delete([0]);
        store.Upsert([Item(50, "red")]);
        var before = store.Search(Item(9).Vector, new SearchQuery(5));

        var loaded = Reopen();

        Assert.Equal(store.Sources(), loaded.Sources(), (a, b) => (a.Id, a.Label, a.ImagePath) == (b.Id, b.Label, b.ImagePath));
        var after = loaded.Search(Item(9).Vector, new SearchQuery(5));
        Assert.Equal(before.Select(h => h.Id), after.Select(h => h.Id));
        Assert.Equal(before.Select(h => h.Score), after.Select(h => h.Score), (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Equal("sha-a", loaded.ModelSha256);
        Assert.Equal("red", loaded.Search(Item(50).Vector, new SearchQuery(1))[0].Attributes["colour"]);
        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
    }

    [Fact]
    public void AnOldSingleFileGalleryIsRefusedWithHowToMigrate()
    {
        var path = Path.Combine(_dir, "gallery.idx");
        LegacyGalleryFile.Write(path, "sha-a", Dim, [Item(1), Item(2)]);
        var e = Assert.Throws<InvalidDataException>(() => GalleryFolder.RefuseFile(path, "model.onnx"));
        Assert.Contains("--migrate-from " + path, e.Message);
        var (sha, dim, items) = LegacyGalleryFile.Load(path);
        Assert.Equal(("sha-a", Dim), (sha, dim));
        Assert.Equal([1L, 2], items.Select(i => i.Id));
        Assert.Equal(Item(2).Vector, items[1].Vector);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^10]);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => LegacyGalleryFile.Load(path)).Message);
    }

    private static float Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
