using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Gallery;

public sealed class GalleryStoreTests : IDisposable
{
    private const int Dim = 8;
    private readonly string _dir = Directory.CreateTempSubdirectory("gallery").FullName;
    private readonly BruteForceIndex.Factory _factory = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static GalleryItem Item(int id) => new(id, $"class{id % 3}", $"img/{id}.png", FakeImage.Vector(id, Dim));

    private GalleryStore Filled(string? path, int n = 20)
    {
        var store = new GalleryStore(Dim, "sha-a", _factory, path);
        store.Upsert(Enumerable.Range(0, n).Select(Item).ToArray());
        return store;
    }

    [Fact]
    public void EveryItemFindsItselfFirstWithScoreOne()
    {
        var store = Filled(null);
        foreach (var item in store.Items)
        {
            foreach (var exact in new[] { false, true })
            {
                var hits = store.Search(item.Embedding, 3, 0, exact, null);
                Assert.Equal(item.Id, hits[0].Id);
                Assert.Equal(1f, hits[0].Score, 5);
                Assert.Equal(item.Label, hits[0].Label);
                Assert.True(hits[0].Score >= hits[1].Score && hits[1].Score >= hits[2].Score);
            }
        }
    }

    [Fact]
    public void ExactScoresAreCosineSimilarities()
    {
        var store = Filled(null);
        var query = FakeImage.Vector(999, Dim);
        var best = store.Search(query, 1, 0, true, null)[0];
        var expected = Enumerable.Range(0, 20).Select(i => (i, cos: Cosine(query, FakeImage.Vector(i, Dim)))).MaxBy(x => x.cos);
        Assert.Equal(expected.i, best.Id);
        Assert.Equal(expected.cos, best.Score, 4);
    }

    [Fact]
    public void ScoreThresholdDropsWeakNeighbours()
    {
        var store = Filled(null);
        var hits = store.Search(Item(5).Embedding, 20, 0, true, 0.99f);
        Assert.Equal([5L], hits.Select(h => h.Id));
    }

    [Fact]
    public void DeletedItemsAreNeverReturnedAndUpsertReplaces()
    {
        var store = Filled(null);
        Assert.Equal(2, store.Delete([3, 4, 4, 12345]));
        Assert.DoesNotContain(store.Search(Item(3).Embedding, 20, 0, false, null), h => h.Id is 3 or 4);
        store.Upsert([Item(7) with { Label = "renamed", Embedding = FakeImage.Vector(3, Dim) }]);
        var hit = store.Search(FakeImage.Vector(3, Dim), 1, 0, false, null)[0];
        Assert.Equal((7L, "renamed"), (hit.Id, hit.Label));
        Assert.Equal(18, store.Count);
    }

    [Fact]
    public void BadRequestsNameTheField()
    {
        var store = Filled(null);
        Assert.Contains("embedding size is 8", Assert.Throws<RequestException>(() => store.Search(new float[5], 1, 0, false, null)).Message);
        Assert.Contains("options.k", Assert.Throws<RequestException>(() => store.Search(new float[Dim], 0, 0, false, null)).Message);
        Assert.Contains("non-zero", Assert.Throws<RequestException>(() => store.Search(new float[Dim], 1, 0, false, null)).Message);
        var empty = new GalleryStore(Dim, "sha-a", _factory, null);
        Assert.Equal(RequestError.FailedPrecondition, Assert.Throws<RequestException>(() => empty.Search(FakeImage.Vector(1, Dim), 1, 0, false, null)).Error);
    }

    [Fact]
    public void SavedGalleryLoadsBackIdentically()
    {
        var path = Path.Combine(_dir, "gallery.idx");
        var store = Filled(path);
        store.Delete([0]);

        var loaded = GalleryStore.Load(path, "sha-a", _factory);

        Assert.Equal(store.Items.OrderBy(i => i.Id).Select(i => (i.Id, i.Label, i.ImagePath)), loaded.Items.OrderBy(i => i.Id).Select(i => (i.Id, i.Label, i.ImagePath)));
        var before = store.Search(Item(9).Embedding, 5, 0, false, null);
        var after = loaded.Search(Item(9).Embedding, 5, 0, false, null);
        Assert.Equal(before.Select(h => h.Id), after.Select(h => h.Id));
        Assert.Equal(before.Select(h => h.Score), after.Select(h => h.Score), (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void AnotherModelsIndexIsRefusedWithBothHashes()
    {
        var path = Path.Combine(_dir, "gallery.idx");
        Filled(path);
        var e = Assert.Throws<InvalidDataException>(() => GalleryStore.Load(path, "sha-b", _factory));
        Assert.Contains("sha-a", e.Message);
        Assert.Contains("sha-b", e.Message);
    }

    [Fact]
    public void TruncatedFileIsReportedNotLoaded()
    {
        var path = Path.Combine(_dir, "gallery.idx");
        Filled(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 40)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => GalleryStore.Load(path, "sha-a", _factory)).Message);
    }

    private static float Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
