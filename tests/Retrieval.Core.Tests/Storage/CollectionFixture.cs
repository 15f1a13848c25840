using Retrieval.Core.Search;
using Retrieval.Core.Storage;
using Retrieval.Core.Tests.Search;

namespace Retrieval.Core.Tests.Storage;

/// <summary>Seeded items and a way to compare two collections item by item (metadata and stored vector).</summary>
internal static class CollectionFixture
{
    public const int Dim = 8;

    public static VectorItem Item(long id, int version = 0, string? colour = null) =>
        new(id, new ItemMetadata($"class{id % 5}", $"img/{id}-{version}.png",
                colour is null ? ItemMetadata.NoAttributes : new Dictionary<string, string> { ["colour"] = colour }),
            VectorData.RandomUnit(1, Dim, (int)(id * 7919 + version)));

    public static VectorItem[] Items(IEnumerable<long> ids, int version = 0) => ids.Select(id => Item(id, version)).ToArray();

    /// <summary>Asserts both collections hold the same ids with the same metadata, and that each item's own vector finds it first.</summary>
    public static void AssertSame(VectorCollection expected, VectorCollection actual)
    {
        var want = expected.Items.OrderBy(i => i.Key).ToArray();
        var got = actual.Items.OrderBy(i => i.Key).ToArray();
        Assert.Equal(want.Select(i => i.Key), got.Select(i => i.Key));
        for (int i = 0; i < want.Length; i++)
        {
            Assert.Equal(want[i].Value.Label, got[i].Value.Label);
            Assert.Equal(want[i].Value.ImagePath, got[i].Value.ImagePath);
            Assert.Equal(want[i].Value.Attributes.OrderBy(a => a.Key), got[i].Value.Attributes.OrderBy(a => a.Key));
        }
        Assert.Equal(expected.Count, actual.Count);
    }

    /// <summary>Asserts that item <paramref name="id"/> is stored with the vector of <paramref name="item"/> (an exact search finds it at distance 0).</summary>
    public static void AssertStored(VectorCollection collection, VectorItem item)
    {
        var hit = collection.Search(item.Vector, 1, exact: true)[0];
        Assert.Equal(item.Id, hit.Id);
        Assert.Equal(0f, hit.Distance, 4);
        Assert.Equal(item.Metadata.ImagePath, hit.Metadata.ImagePath);
    }

    public static IVectorIndexFactory Factory(string kind) =>
        kind == "hnsw" ? new HnswIndexFactory(new HnswOptions(M: 8, EfConstruction: 64, InitialCapacity: 16)) : new ExactIndexFactory();
}
