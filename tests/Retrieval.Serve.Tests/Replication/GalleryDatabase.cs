using Npgsql;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

/// <summary>Test helpers over one gallery database: items to write, and the live items as the database holds them.</summary>
public static class GalleryDatabase
{
    /// <summary>An item with a deterministic 4-d embedding derived from <paramref name="id"/> and <paramref name="version"/>.</summary>
    public static ItemWrite Item(long id, int version = 0, string? label = null) =>
        new(id, label ?? $"label-{id % 7}", $"img/{id}.png", new Dictionary<string, string> { ["v"] = version.ToString() },
            [id + 1, version + 1, (id * 31 + version) % 11 + 1, 1]);

    /// <summary>Live items straight from the table: id → (label, version attribute, embedding).</summary>
    public static async Task<Dictionary<long, (string Label, string Version, float[] Embedding)>> LiveItemsAsync(PostgresTarget target)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, label, attributes->>'v', embedding FROM gallery_items WHERE NOT deleted", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new Dictionary<long, (string, string, float[])>();
        while (await reader.ReadAsync())
            items[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2), reader.GetFieldValue<float[]>(3));
        return items;
    }

    /// <summary>Asserts that a replica's items equal the database's live items.</summary>
    public static async Task AssertSameAsync(PostgresTarget target, MemorySink sink)
    {
        var expected = await LiveItemsAsync(target);
        var actual = sink.Items;
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (id, row) in actual)
        {
            Assert.Equal(expected[id].Label, row.Label);
            Assert.Equal(expected[id].Version, row.Attributes["v"]);
            Assert.Equal(expected[id].Embedding, row.Embedding);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (fails after <paramref name="seconds"/>).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {seconds} s: {what}");
            await Task.Delay(20);
        }
    }
}
