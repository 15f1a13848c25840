using Retrieval.Core.Search;
using Retrieval.Core.Storage;
using Retrieval.Core.Tests.Data;
using static Retrieval.Core.Tests.Storage.CollectionFixture;

namespace Retrieval.Core.Tests.Storage;

public sealed class VectorCollectionTests : TempTreeTest
{
    private readonly List<string> _log = [];
    private string Folder => Path.Combine(Tree.Root, "gallery");

    private static readonly Dictionary<string, string> Props = new() { ["model.sha256"] = "abc" };

    private VectorCollection Create(string kind, int items = 0, CompactionPolicy? policy = null)
    {
        var factory = Factory(kind);
        var collection = VectorCollection.CreateInMemory(factory.Create(Dim, VectorMetric.Cosine), Props, policy, _log.Add);
        if (items > 0) collection.Upsert(Items(Enumerable.Range(0, items).Select(i => (long)i)));
        collection.Attach(LocalCollectionStore.Create(Folder, collection.Index, collection.Items, factory.Kind, collection.Properties, _log.Add));
        return collection;
    }

    private VectorCollection Reopen(string kind, CompactionPolicy? policy = null) =>
        VectorCollection.Open(LocalCollectionStore.Open(Folder, _log.Add), Factory(kind), policy, _log.Add);

    [Theory]
    [InlineData("exact")]
    [InlineData("hnsw")]
    public void WritesSurviveAReopenThroughTheLog(string kind)
    {
        var c = Create(kind, items: 30);
        c.Upsert([Item(3, version: 1, colour: "red"), Item(100, colour: "blue")]);
        Assert.Equal(2, c.Delete([4, 5, 999]).Deleted);
        c.Store!.Dispose();

        var reopened = Reopen(kind);
        AssertSame(c, reopened);
        Assert.Equal(4, reopened.PendingChanges); // replayed: 2 items upserted, 2 deleted
        AssertStored(reopened, Item(3, version: 1, colour: "red"));
        Assert.True(reopened.TryGet(100, out var blue) && blue.Attributes["colour"] == "blue");
        Assert.False(reopened.TryGet(4, out _));
        Assert.Equal("abc", reopened.Properties["model.sha256"]);
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("hnsw")]
    public async Task CompactionWritesASnapshotAndDropsTheLogItCovers(string kind)
    {
        var c = Create(kind, items: 10);
        for (int i = 0; i < 5; i++) c.Upsert([Item(50 + i)]);
        var before = c.Store!.Manifest;
        await c.CompactAsync();
        var after = c.Store.Manifest;
        Assert.Equal(5, after.Sequence);
        Assert.Equal(0, c.PendingChanges);
        Assert.False(File.Exists(Path.Combine(Folder, before.IndexFile)));
        Assert.Equal(new[] { after.IndexFile, after.ItemsFile, "LOCK", "MANIFEST", "wal-00000000000000000006.log" }.Order(StringComparer.Ordinal),
            Directory.GetFiles(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        c.Upsert([Item(60)]);
        c.Store.Dispose();

        var reopened = Reopen(kind);
        AssertSame(c, reopened);
        Assert.Equal(1, reopened.PendingChanges);
    }

    [Fact]
    public async Task ABackgroundCompactionStartsAfterThePolicysChangesAndWritesGoOnMeanwhile()
    {
        var c = Create("hnsw", policy: new CompactionPolicy(AfterItems: 20));
        for (int i = 0; i < 200; i++) c.Upsert([Item(i)]);
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); c.Store!.Manifest.Sequence == 0 && clock.Elapsed.TotalSeconds < 10;) await Task.Delay(10);
        await c.CompactAsync();
        Assert.Contains(_log, l => l.StartsWith("Compaction: snapshot at sequence", StringComparison.Ordinal));
        Assert.True(c.Store!.Manifest.Sequence > 0);
        c.Store.Dispose();
        AssertSame(c, Reopen("hnsw"));
    }

    [Theory]
    [InlineData("exact")]
    [InlineData("hnsw")]
    public async Task ASnapshotTakenWhileWritesGoOnReplaysToTheSameState(string kind)
    {
        var c = Create(kind, items: 300);
        var writer = Task.Run(() =>
        {
            for (int round = 1; round <= 60; round++)
            {
                c.Upsert(Items(Enumerable.Range(round * 3, 5).Select(i => (long)i), version: round));
                c.Delete([round * 5L + 1]);
            }
        });
        for (int i = 0; i < 3; i++) await c.CompactAsync();
        await writer;
        c.Store!.Dispose();

        var reopened = Reopen(kind);
        AssertSame(c, reopened);
        foreach (var (id, metadata) in c.Items.Take(50))
            AssertStored(reopened, Item(id, version: int.Parse(metadata.ImagePath.Split('-', '.')[1])));
    }

    [Fact]
    public void AReplacementBecomesTheWholeContentAtANewSequence()
    {
        var c = Create("exact", items: 20);
        c.Upsert([Item(7, version: 1)]);
        var next = VectorCollection.CreateInMemory(new ExactIndex(Dim), new Dictionary<string, string> { ["model.sha256"] = "def" });
        next.Upsert(Items([1, 2, 3], version: 9));
        long sequence = c.Store!.CommitReplacement(next.Index, next.Items, next.Properties);
        Assert.Equal(2, sequence);
        next.Attach(c.Store);
        next.Upsert([Item(4, version: 9)]);
        c.Store.Dispose();

        var reopened = Reopen("exact");
        Assert.Equal([1L, 2, 3, 4], reopened.Items.Select(i => i.Key).Order());
        Assert.Equal("def", reopened.Properties["model.sha256"]);
        AssertStored(reopened, Item(2, version: 9));
    }

    [Fact]
    public void AReplacementMayChangeTheVectorLength()
    {
        var c = Create("hnsw", items: 5);
        var wider = VectorCollection.CreateInMemory(Factory("hnsw").Create(Dim + 4, VectorMetric.Cosine), Props);
        wider.Upsert([new VectorItem(1, new ItemMetadata("a", ""), [.. Item(1).Vector, 1, 2, 3, 4])]);
        c.Store!.CommitReplacement(wider.Index, wider.Items, wider.Properties);
        c.Store.Dispose();

        var reopened = Reopen("hnsw");
        Assert.Equal((Dim + 4, 1), (reopened.Dimension, reopened.Count));
        Assert.Equal(Dim + 4, reopened.Store!.Manifest.Dimension);
    }

    [Fact]
    public void AStaleCompactionOfAReplacedCollectionCommitsNothing()
    {
        var c = Create("exact", items: 5);
        c.Upsert([Item(9)]);
        long sealedAt = c.Store!.BeginSnapshot();
        var next = VectorCollection.CreateInMemory(new ExactIndex(Dim), Props);
        c.Store.CommitReplacement(next.Index, next.Items, next.Properties);
        Assert.False(c.Store.CommitSnapshot(sealedAt, c.Index, c.Items, c.Properties));
        c.Store.Dispose();
        Assert.Equal(0, Reopen("exact").Count);
    }

    [Fact]
    public void FilteredSearchReturnsKMatchesEvenWhenTheyAreRare()
    {
        var c = Create("hnsw");
        c.Upsert(Enumerable.Range(0, 400).Select(i => Item(i, colour: i % 40 == 0 ? "red" : "grey")).ToArray());
        var query = Item(123).Vector;
        var red = new ItemFilter([], new Dictionary<string, string> { ["colour"] = "red" });
        foreach (bool exact in new[] { false, true })
        {
            var hits = c.Search(query, 5, exact: exact, filter: red);
            Assert.Equal(5, hits.Length);
            Assert.All(hits, h => Assert.Equal("red", h.Metadata.Attributes["colour"]));
        }
        var truth = c.Search(query, 10, exact: true, filter: red);
        Assert.Equal(10, truth.Length);
        Assert.Equal(truth.Select(h => h.Id), truth.OrderBy(h => h.Distance).ThenBy(h => h.Id).Select(h => h.Id));
        var byLabel = c.Search(query, 3, filter: new ItemFilter(["class1", "class2"], ItemMetadata.NoAttributes));
        Assert.All(byLabel, h => Assert.Contains(h.Metadata.Label, new[] { "class1", "class2" }));
        Assert.Equal(3, byLabel.Length);
        Assert.Empty(c.Search(query, 3, filter: new ItemFilter(["nope"], ItemMetadata.NoAttributes)));
    }

    [Fact]
    public void BadVectorsAreRefusedBeforeAnythingIsLogged()
    {
        var c = Create("exact", items: 3);
        long before = c.Store!.LastSequence;
        Assert.Contains("item 8", Assert.Throws<ArgumentException>(() => c.Upsert([Item(7), Item(8) with { Vector = new float[Dim] }])).Message);
        Assert.Contains("values", Assert.Throws<ArgumentException>(() => c.Upsert([Item(7) with { Vector = new float[3] }])).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => c.Upsert([Item(7) with { Vector = [.. new float[Dim - 1], float.NaN] }])).Message);
        Assert.Equal(before, c.Store.LastSequence);
        Assert.Equal(3, c.Count);
    }
}
