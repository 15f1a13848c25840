using Retrieval.Core.Search;
using Retrieval.Core.Storage;
using Retrieval.Core.Tests.Data;
using static Retrieval.Core.Tests.Storage.CollectionFixture;

namespace Retrieval.Core.Tests.Storage;

public sealed class LocalCollectionStoreTests : TempTreeTest
{
    private readonly List<string> _warnings = [];
    private string Folder => Path.Combine(Tree.Root, "gallery");

    private VectorCollection CreateCompacted(string kind)
    {
        var factory = Factory(kind);
        var c = VectorCollection.CreateInMemory(factory.Create(Dim, VectorMetric.Cosine), new Dictionary<string, string>());
        c.Upsert(Items(Enumerable.Range(0, 40).Select(i => (long)i)));
        c.Attach(LocalCollectionStore.Create(Folder, c.Index, c.Items, factory.Kind, c.Properties, _warnings.Add));
        c.Upsert([Item(3, version: 2)]);
        c.CompactAsync().Wait();
        c.Upsert([Item(41)]);
        c.Store!.Dispose();
        return c;
    }

    private VectorCollection Open(string kind)
    {
        var store = LocalCollectionStore.Open(Folder, _warnings.Add);
        try
        {
            var collection = VectorCollection.Open(store, Factory(kind));
            store.Dispose(); // the tests only read what was loaded
            return collection;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    [Theory]
    [InlineData("exact", ".index")]
    [InlineData("exact", ".items")]
    [InlineData("hnsw", ".index")]
    [InlineData("hnsw", ".items")]
    [InlineData("hnsw", "MANIFEST")]
    public void AFlippedByteOrATruncationAnywhereInASnapshotIsRefusedNamingTheFile(string kind, string suffix)
    {
        var expected = CreateCompacted(kind);
        var path = Directory.GetFiles(Folder).Single(f => f.EndsWith(suffix, StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(path);
        var rng = new Random(3);
        var positions = Enumerable.Range(0, 60).Select(_ => rng.Next(bytes.Length)).Append(0).Append(bytes.Length - 1);
        foreach (int at in positions)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(path, damaged);
            AssertRefused(path, kind);
        }
        foreach (int length in new[] { 0, 1, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..length]);
            AssertRefused(path, kind);
        }
        File.WriteAllBytes(path, bytes);
        AssertSame(expected, Open(kind));
    }

    private void AssertRefused(string path, string kind)
    {
        // the index's own loader throws InvalidDataException, the storage files StorageCorruptException: both name the file
        var e = Assert.ThrowsAny<Exception>(() => Open(kind));
        Assert.True(e is InvalidDataException or StorageCorruptException, e.ToString());
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void LeftoversOfAnInterruptedCompactionAreRemovedAtOpen()
    {
        var expected = CreateCompacted("exact");
        File.WriteAllText(Path.Combine(Folder, ".snapshot-00000000000000000009.index.123.abc.tmp"), "half");
        File.WriteAllText(Path.Combine(Folder, ".MANIFEST.123.abc.tmp"), "half");
        File.WriteAllText(Path.Combine(Folder, "snapshot-00000000000000000009.items"), "never committed");
        AssertSame(expected, Open("exact"));
        Assert.DoesNotContain(Directory.GetFiles(Folder).Select(Path.GetFileName), f => f!.EndsWith(".tmp") || f.EndsWith("09.items"));
        Assert.Equal(2, _warnings.Count(w => w.Contains("removed")));
    }

    [Fact]
    public void AFolderWithOtherFilesIsNeverUsedOrCleaned()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "notes.txt"), "mine");
        var index = new ExactIndex(Dim);
        var e = Assert.Throws<IOException>(() => LocalCollectionStore.Create(Folder, index, [], "exact", new Dictionary<string, string>(), _warnings.Add));
        Assert.Contains("notes.txt", e.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(Folder, "notes.txt")));
        Assert.Single(Directory.GetFiles(Folder));
    }

    [Fact]
    public void OneFolderServesOneProcessAtATime()
    {
        CreateCompacted("exact");
        using (var first = LocalCollectionStore.Open(Folder, _warnings.Add))
            Assert.Contains("in use by another process", Assert.Throws<IOException>(() => LocalCollectionStore.Open(Folder, _warnings.Add)).Message);
        LocalCollectionStore.Open(Folder, _warnings.Add).Dispose();
    }

    [Fact]
    public void AnIndexOfAnotherKindIsRefused()
    {
        CreateCompacted("exact");
        Assert.Contains("'exact' index", Assert.Throws<StorageCorruptException>(() => Open("hnsw")).Message);
    }
}
