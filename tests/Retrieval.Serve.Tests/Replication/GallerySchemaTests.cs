using Npgsql;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Tests.Replication;

[Collection(PostgresCollection.Name)]
public sealed class GallerySchemaTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Migrating_twice_applies_every_migration_once()
    {
        var target = cluster.CreateDatabase();
        await using var source = NpgsqlDataSource.Create(target.ConnectionString);
        Assert.Equal(GallerySchema.Migrations.Select(m => m.Version), await GallerySchema.MigrateAsync(source, CancellationToken.None));
        Assert.Empty(await GallerySchema.MigrateAsync(source, CancellationToken.None));
        Assert.Equal((long)GallerySchema.Migrations.Count, await PostgresCluster.ScalarAsync(target, "SELECT count(*) FROM retrieval_schema_version"));
        Assert.Equal(0L, await PostgresCluster.ScalarAsync(target, "SELECT sequence FROM gallery_state"));
    }

    [Fact]
    public async Task Replicas_starting_together_migrate_once()
    {
        var target = cluster.CreateDatabase();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(target.ConnectionString)).ToArray();
        try
        {
            var applied = await Task.WhenAll(sources.Select(s => GallerySchema.MigrateAsync(s, CancellationToken.None)));
            Assert.Single(applied, a => a.Count > 0);
            Assert.Equal(1L, await PostgresCluster.ScalarAsync(target, "SELECT count(*) FROM gallery_state"));
        }
        finally
        {
            foreach (var s in sources) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_schema_from_a_newer_server_is_refused()
    {
        var target = cluster.CreateDatabase();
        await using var source = NpgsqlDataSource.Create(target.ConnectionString);
        await GallerySchema.MigrateAsync(source, CancellationToken.None);
        await PostgresCluster.ScalarAsync(target, $"INSERT INTO retrieval_schema_version (version, description) VALUES ({GallerySchema.Latest + 1}, 'future')");
        var e = await Assert.ThrowsAsync<StoreException>(() => GallerySchema.MigrateAsync(source, CancellationToken.None));
        Assert.Equal(StoreError.Incompatible, e.Error);
        Assert.Contains($"version {GallerySchema.Latest + 1}", e.Message);
    }

    [Fact]
    public async Task Each_schema_of_a_database_holds_its_own_gallery()
    {
        var target = cluster.CreateDatabase();
        await PostgresCluster.ScalarAsync(target, "CREATE SCHEMA shop_b");
        await using var a = new PostgresGallery(target);
        await using var b = new PostgresGallery(PostgresTarget.Parse(target.ConnectionString + ";Search Path=shop_b"));
        await a.UpsertAsync([GalleryDatabase.Item(1)], MemorySink.Model, CancellationToken.None);
        await b.UpsertAsync([GalleryDatabase.Item(2), GalleryDatabase.Item(3)], MemorySink.Model, CancellationToken.None);
        Assert.Equal([1L], (await a.ReadChangesAsync(0, 0, 10, CancellationToken.None)).Rows.Select(r => r.Id));
        Assert.Equal([2L, 3L], (await b.ReadChangesAsync(0, 0, 10, CancellationToken.None)).Rows.Select(r => r.Id));
    }
}
