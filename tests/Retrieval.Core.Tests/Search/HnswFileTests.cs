using Retrieval.Core.Search;
using Retrieval.Core.Tests.Data;

namespace Retrieval.Core.Tests.Search;

/// <summary>Save/load round trips and refusal of damaged index files.</summary>
public sealed class HnswFileTests : TempTreeTest
{
    private const int Dim = 24;

    private (HnswIndex Index, float[] Queries) Saved(string path)
    {
        var data = VectorData.RandomUnit(800, Dim, seed: 11);
        var index = new HnswIndex(Dim, VectorMetric.SquaredL2, new HnswOptions(M: 6, EfConstruction: 60, DefaultEf: 30, Seed: 9, InitialCapacity: 100));
        index.Add(data, VectorData.Ids(800));
        index.Remove(1000);
        index.Remove(1000 + 7 * 10);
        index.Metadata = "model sha256=abc123 ✓";
        index.Save(path);
        return (index, VectorData.RandomUnit(40, Dim, seed: 12));
    }

    [Fact]
    public void SaveThenLoad_GivesIdenticalResults_SettingsAndMetadata()
    {
        string path = Path.Combine(Tree.Root, "index.hnsw");
        var (index, queries) = Saved(path);
        var loaded = HnswIndex.Load(path);

        Assert.Equal(index.Options, loaded.Options with { InitialCapacity = index.Options.InitialCapacity });
        Assert.Equal((Dim, VectorMetric.SquaredL2, 798, "model sha256=abc123 ✓"), (loaded.Dimension, loaded.Metric, loaded.Count, loaded.Metadata));
        for (int q = 0; q < 40; q++)
        {
            var query = queries.AsSpan(q * Dim, Dim);
            var expected = index.Search(query, 10, new SearchParams(20));
            Assert.Equal(expected, loaded.Search(query, 10, new SearchParams(20)));
            Assert.DoesNotContain(expected, n => n.Id is 1000 or 1070);
        }
        Assert.Empty(Directory.GetFiles(Tree.Root, "*.tmp"));
    }

    [Fact]
    public void LoadedIndex_KeepsDeletesAndAcceptsMoreItems()
    {
        string path = Path.Combine(Tree.Root, "index.hnsw");
        Saved(path);
        var loaded = HnswIndex.Load(path);
        Assert.False(loaded.Contains(1000));
        Assert.False(loaded.Remove(1000));
        var extra = VectorData.RandomUnit(100, Dim, seed: 13);
        loaded.Add(extra, VectorData.Ids(100, offset: 50_000));
        Assert.Equal(898, loaded.Count);
        Assert.Equal(50_000, loaded.Search(extra.AsSpan(0, Dim), 1)[0].Id);
    }

    [Fact]
    public void SaveOverwritesAtomically_AndEmptyIndexRoundTrips()
    {
        string path = Path.Combine(Tree.Root, "empty.hnsw");
        File.WriteAllText(path, "old content");
        new HnswIndex(3, VectorMetric.Cosine).Save(path);
        var loaded = HnswIndex.Load(path);
        Assert.Equal(0, loaded.Count);
        Assert.Empty(loaded.Search([1, 2, 3], 2));
    }

    [Fact]
    public void TruncatedFile_IsRefused()
    {
        string path = Path.Combine(Tree.Root, "index.hnsw");
        Saved(path);
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int keep in new[] { 5, 30, bytes.Length / 2, bytes.Length - 1 })
        {
            string cut = Path.Combine(Tree.Root, $"cut{keep}.hnsw");
            File.WriteAllBytes(cut, bytes[..keep]);
            var e = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(cut));
            Assert.Contains("truncated", e.Message);
            Assert.Contains(cut, e.Message);
        }
    }

    [Fact]
    public void CorruptFile_IsRefused()
    {
        string path = Path.Combine(Tree.Root, "index.hnsw");
        Saved(path);
        byte[] bytes = File.ReadAllBytes(path);
        foreach (int at in new[] { 40, 100, bytes.Length / 2, bytes.Length - 2 })
        {
            var bad = (byte[])bytes.Clone();
            bad[at] ^= 0x10;
            string p = Path.Combine(Tree.Root, $"bad{at}.hnsw");
            File.WriteAllBytes(p, bad);
            Assert.Contains("checksum mismatch", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(p)).Message);
        }
    }

    [Fact]
    public void WrongMagicOrVersion_IsRefused()
    {
        string path = Path.Combine(Tree.Root, "index.hnsw");
        Saved(path);
        byte[] bytes = File.ReadAllBytes(path);
        var version = (byte[])bytes.Clone();
        version[8] = 99;
        File.WriteAllBytes(path, version);
        Assert.Contains("unsupported format version 99", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path)).Message);
        var magic = (byte[])bytes.Clone();
        magic[0] = (byte)'X';
        File.WriteAllBytes(path, magic);
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path)).Message);
    }

    [Fact]
    public void Version1File_StillLoads_WithItsResultsDeletesAndMetadata()
    {
        // Written by the version-1 code (commit 218e11c): 60 vectors of 4 values, L2, ids 105 and 110 removed,
        // id 120 replaced by (9, 9, 9, 9); it printed these top-5 for the query below at ef 40.
        string path = Path.Combine(AppContext.BaseDirectory, "Search", "Fixtures", "index-v1.hnsw");
        var index = HnswIndex.Load(path);
        Assert.Equal((4, VectorMetric.SquaredL2, 58, "v1 fixture"), (index.Dimension, index.Metric, index.Count, index.Metadata));
        var hits = index.Search([1, 0, -1, 0.5f], 5, new SearchParams(40));
        Assert.Equal([150L, 155, 145, 140, 135], hits.Select(h => h.Id));
        Assert.Equal([2.4148521f, 2.4349976f, 2.5161686f, 2.7332191f, 3.0484598f], hits.Select(h => h.Distance));
        Assert.False(index.Contains(105));
        Assert.Equal(120, index.Search([9, 9, 9, 9], 1)[0].Id);
        int capacity = index.Capacity;
        index.Add([1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 1, 1], [900, 901, 902]); // the three deleted slots are reused
        Assert.Equal(capacity, index.Capacity);
        Assert.Equal(901, index.Search([4, 3, 2, 1], 1)[0].Id);
    }
}
