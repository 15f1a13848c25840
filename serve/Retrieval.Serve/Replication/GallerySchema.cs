using Npgsql;

namespace Retrieval.Serve.Replication;

/// <summary>
/// The gallery's tables in PostgreSQL and the migrations that create them. Every server runs <see cref="MigrateAsync"/>
/// at start: under a transaction-scoped advisory lock (replicas starting together migrate once), it applies the
/// migrations the database lacks, in order, and records each in <c>retrieval_schema_version</c>; a database migrated by a
/// newer server is refused. The tables live in the connection's schema (<c>search_path</c>), so one database can hold
/// several galleries.
/// </summary>
/// <remarks>
/// <c>gallery_state</c> is one row: the gallery's identity (a replica's local copy names the gallery it follows), the
/// newest committed change sequence and the model every live embedding comes from. Writers lock that row (<c>FOR UPDATE</c>) to take the next sequence, so sequences are gap-free and commit in
/// order: a reader that sees sequence S has seen everything before it. <c>gallery_items</c> holds each item's latest
/// state and the sequence that wrote it; deletes leave tombstones so followers that were away learn of them.
/// Embeddings are <c>real[]</c> (no pgvector on Debian bookworm; <c>::vector</c> converts them where it exists).
/// </remarks>
public static class GallerySchema
{
    /// <summary>Every migration, in order; a server knows the database schema up to the last one.</summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> Migrations =
    [
        (1, "gallery_state and gallery_items", """
            CREATE TABLE gallery_state (
                id boolean PRIMARY KEY DEFAULT true CHECK (id),
                gallery_id uuid NOT NULL DEFAULT gen_random_uuid(),
                sequence bigint NOT NULL DEFAULT 0 CHECK (sequence >= 0),
                model_sha256 text,
                dimension integer CHECK (dimension > 0),
                updated_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO gallery_state DEFAULT VALUES;
            CREATE TABLE gallery_items (
                id bigint PRIMARY KEY,
                sequence bigint NOT NULL,
                deleted boolean NOT NULL,
                label text NOT NULL,
                image_path text NOT NULL,
                attributes jsonb NOT NULL DEFAULT '{}',
                model_sha256 text,
                embedding real[],
                changed_at timestamptz NOT NULL DEFAULT now(),
                CHECK (deleted = (embedding IS NULL)),
                CHECK (deleted = (model_sha256 IS NULL)));
            CREATE INDEX gallery_items_by_sequence ON gallery_items (sequence, id);
            """),
    ];

    /// <summary>Schema version this server writes and reads.</summary>
    public static int Latest => Migrations[^1].Version;

    /// <summary>Brings the database's schema to <see cref="Latest"/>; returns the migrations applied (none when up to date).</summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, tx, "SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.retrieval_schema_version'))", cancellationToken).ConfigureAwait(false);
        await Execute(connection, tx, """
            CREATE TABLE IF NOT EXISTS retrieval_schema_version (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken).ConfigureAwait(false);
        int current;
        await using (var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM retrieval_schema_version", connection, tx))
            current = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (current > Latest)
            throw new StoreException(StoreError.Incompatible,
                $"the database's gallery schema is version {current}; this server knows up to {Latest}. Upgrade the server (never downgrade a replica of a migrated database).");
        var applied = new List<int>();
        foreach (var (version, description, sql) in Migrations)
        {
            if (version <= current) continue;
            await Execute(connection, tx, sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO retrieval_schema_version (version, description) VALUES ($1, $2)", connection, tx);
            record.Parameters.Add(new() { Value = version });
            record.Parameters.Add(new() { Value = description });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(version);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
