using System.Text.Json;
using Npgsql;

namespace Retrieval.Serve.Replication;

/// <summary>
/// One write to the shared gallery: a transaction that holds the <c>gallery_state</c> row (so writers take sequences,
/// write and commit one after another), the statements a change is made of, and the commit that publishes it.
/// </summary>
internal sealed class GalleryTransaction : IAsyncDisposable
{
    // Bounds each statement's parameters (a million-item model switch is written in slices).
    private const int ItemsPerStatement = 2000;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _tx;

    private GalleryTransaction(NpgsqlConnection connection, NpgsqlTransaction tx, GalleryState state) =>
        (_connection, _tx, State) = (connection, tx, state);

    /// <summary>The gallery's head when the lock was taken (nobody else can change it before this transaction ends).</summary>
    public GalleryState State { get; }

    /// <summary>The sequence this transaction's change gets.</summary>
    public long Next => State.Sequence + 1;

    /// <summary>Begins on <paramref name="connection"/> (which it then owns) and waits up to 5 s for the state row.</summary>
    public static async Task<GalleryTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Acknowledged means on disk whatever the server's default; a writer stuck behind a model switch gives up.
            await using (var settings = new NpgsqlCommand("SET LOCAL synchronous_commit = on; SET LOCAL lock_timeout = '5s'", connection, tx))
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var locking = new NpgsqlCommand("SELECT gallery_id, sequence, model_sha256, dimension FROM gallery_state FOR UPDATE", connection, tx);
            await using var reader = await locking.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) throw new StoreException(StoreError.Incompatible, "gallery_state has no row.");
            return new GalleryTransaction(connection, tx, PostgresGallery.ReadState(reader));
        }
        catch
        {
            if (tx is not null) await tx.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes items (distinct ids) as live rows of this change, embedded by <paramref name="modelSha256"/>.</summary>
    public async Task<int> InsertAsync(IReadOnlyList<ItemWrite> items, string modelSha256, CancellationToken cancellationToken)
    {
        int written = 0;
        foreach (var slice in items.Chunk(ItemsPerStatement))
        {
            int dimension = slice[0].Embedding.Length;
            var embeddings = new float[slice.Length * dimension];
            for (int i = 0; i < slice.Length; i++) slice[i].Embedding.CopyTo(embeddings, i * dimension);
            await using var command = Command("""
                INSERT INTO gallery_items AS g (id, sequence, deleted, label, image_path, attributes, model_sha256, embedding)
                SELECT u.id, $1, false, u.label, u.path, u.attributes::jsonb, $2, ($3::real[])[(u.n - 1) * $4 + 1 : u.n * $4]
                FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS u(id, label, path, attributes, n)
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, deleted = false, label = excluded.label,
                    image_path = excluded.image_path, attributes = excluded.attributes, model_sha256 = excluded.model_sha256,
                    embedding = excluded.embedding, changed_at = now()
                """, Next, modelSha256, embeddings, dimension, slice.Select(i => i.Id).ToArray(), slice.Select(i => i.Label).ToArray(),
                slice.Select(i => i.ImagePath).ToArray(),
                slice.Select(i => JsonSerializer.Serialize(new SortedDictionary<string, string>(i.Attributes.ToDictionary(), StringComparer.Ordinal))).ToArray());
            written += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return written;
    }

    /// <summary>Turns the live items among <paramref name="ids"/> into tombstones of this change; returns how many were live.</summary>
    public async Task<int> DeleteAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        int deleted = 0;
        foreach (var slice in ids.Chunk(ItemsPerStatement))
        {
            await using var command = Command("""
                UPDATE gallery_items SET sequence = $1, deleted = true, label = '', image_path = '', attributes = '{}',
                    model_sha256 = NULL, embedding = NULL, changed_at = now()
                WHERE id = ANY($2) AND NOT deleted
                """, Next, slice);
            deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    /// <summary>Every live item without its embedding (what a model switch re-embeds), in id order.</summary>
    public async Task<List<GalleryRow>> LiveItemsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT id, sequence, deleted, label, image_path, attributes::text, model_sha256, NULL::real[]
            FROM gallery_items WHERE NOT deleted ORDER BY id
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<GalleryRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(PostgresGallery.ReadRow(reader, 0));
        return rows;
    }

    /// <summary>Makes this change the head (with the gallery's model and embedding size after it) and tells the listeners at commit.</summary>
    public async Task AdvanceAsync(string modelSha256, int? dimension, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            WITH advanced AS (
                UPDATE gallery_state SET sequence = $1, model_sha256 = $2, dimension = coalesce($3, dimension), updated_at = now() RETURNING sequence)
            SELECT pg_notify($4, current_schema() || ' ' || sequence) FROM advanced
            """, Next, modelSha256, dimension, PostgresGallery.Channel);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commits (not cancellable: a commit is not abandoned half-way).</summary>
    public Task CommitAsync() => _tx.CommitAsync(CancellationToken.None);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync().ConfigureAwait(false);   // rolls back unless committed
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, _connection, _tx);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
