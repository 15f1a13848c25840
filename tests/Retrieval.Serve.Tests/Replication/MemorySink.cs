using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

/// <summary>A replica's gallery reduced to a dictionary: what a follower applied, to compare with the database.</summary>
public sealed class MemorySink(string modelSha256 = MemorySink.Model) : IReplicaSink
{
    /// <summary>The model hash the tests write with.</summary>
    public const string Model = "model-a";

    private readonly Lock _lock = new();
    private readonly Dictionary<long, GalleryRow> _items = [];

    /// <inheritdoc />
    public string ModelSha256 => modelSha256;

    /// <summary>Sequence recorded by the last apply.</summary>
    public long Applied { get; private set; }

    /// <summary>Rows handed over so far (tombstones included).</summary>
    public int RowsSeen { get; private set; }

    /// <summary>When set, Apply throws it (a change the gallery refuses).</summary>
    public Exception? Refuse { get; set; }

    /// <summary>A copy of the live items.</summary>
    public Dictionary<long, GalleryRow> Items
    {
        get { lock (_lock) return new Dictionary<long, GalleryRow>(_items); }
    }

    /// <inheritdoc />
    public void Apply(IReadOnlyList<GalleryRow> rows, Guid galleryId, long appliedThrough)
    {
        if (Refuse is not null) throw Refuse;
        lock (_lock)
        {
            Assert.True(appliedThrough >= Applied, $"applied sequence went back from {Applied} to {appliedThrough}");
            for (int i = 1; i < rows.Count; i++)
                Assert.True((rows[i - 1].Sequence, rows[i - 1].Id).CompareTo((rows[i].Sequence, rows[i].Id)) < 0, "rows out of (sequence, id) order");
            foreach (var row in rows)
            {
                if (row.Deleted) _items.Remove(row.Id);
                else
                {
                    Assert.Equal(ModelSha256, row.ModelSha256);
                    _items[row.Id] = row;
                }
            }
            RowsSeen += rows.Count;
            Applied = appliedThrough;
        }
    }
}
