using System.Text.Json;
using Npgsql;

namespace Retrieval.Serve.Replication;

/// <summary>
/// The shared gallery in PostgreSQL (<see cref="GallerySchema"/>): writes that each take the next change sequence and
/// are acknowledged only after their transaction commits (with <c>synchronous_commit = on</c> whatever the server's
/// default), the change feed that replicas read after a sequence, and the notification channel that tells them to.
/// </summary>
/// <remarks>
/// Failures are <see cref="StoreException"/>s: <see cref="StoreError.Unavailable"/> when the database cannot be reached
/// or fails mid-way (nothing is acknowledged; a failure during COMMIT leaves the outcome unknown, which a retry of
/// the same idempotent write resolves), <see cref="StoreError.ModelMismatch"/> when the gallery's embeddings come
/// from another model. The schema is migrated on the first successful connection.
/// </remarks>
public sealed class PostgresGallery : IAsyncDisposable
{
    /// <summary>NOTIFY channel; the payload is "schema sequence" so galleries in other schemas of the database are told apart.</summary>
    public const string Channel = "retrieval_gallery_changes";

    private const string ItemColumns = "id, sequence, deleted, label, image_path, attributes::text, model_sha256, embedding";
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _migrated;

    /// <summary>A gallery at <paramref name="target"/>; nothing connects until the first call.</summary>
    public PostgresGallery(PostgresTarget target)
    {
        Target = target;
        _source = NpgsqlDataSource.Create(target.ConnectionString);
    }

    /// <summary>The database (its description never holds the password).</summary>
    public PostgresTarget Target { get; }

    /// <summary>Migrations applied by this instance's first connection (empty when the schema was current).</summary>
    public IReadOnlyList<int> AppliedMigrations { get; private set; } = [];

    /// <summary>Adds or replaces items (the last of repeated ids wins) as one change; returns its sequence once committed.</summary>
    public async Task<long> UpsertAsync(IReadOnlyList<ItemWrite> items, string modelSha256, CancellationToken cancellationToken)
    {
        var unique = items.GroupBy(i => i.Id).Select(g => g.Last()).ToArray();
        if (unique.Length == 0) throw new ArgumentException("an upsert needs at least one item.", nameof(items));
        int dimension = unique[0].Embedding.Length;
        if (dimension == 0 || unique.Any(i => i.Embedding.Length != dimension))
            throw new ArgumentException("every embedding of an upsert must have the same, non-zero length.", nameof(items));
        var embeddings = new float[unique.Length * dimension];
        for (int i = 0; i < unique.Length; i++) unique[i].Embedding.CopyTo(embeddings, i * dimension);
        var (sequence, _) = await WriteAsync(modelSha256, dimension, async (connection, tx, next) =>
        {
            await using var command = new NpgsqlCommand($"""
                INSERT INTO gallery_items AS g (id, sequence, deleted, label, image_path, attributes, model_sha256, embedding)
                SELECT u.id, $1, false, u.label, u.path, u.attributes::jsonb, $2, ($3::real[])[(u.n - 1) * $4 + 1 : u.n * $4]
                FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS u(id, label, path, attributes, n)
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, deleted = false, label = excluded.label,
                    image_path = excluded.image_path, attributes = excluded.attributes, model_sha256 = excluded.model_sha256,
                    embedding = excluded.embedding, changed_at = now()
                """, connection, tx);
            command.Parameters.Add(new() { Value = next });
            command.Parameters.Add(new() { Value = modelSha256 });
            command.Parameters.Add(new() { Value = embeddings });
            command.Parameters.Add(new() { Value = dimension });
            command.Parameters.Add(new() { Value = unique.Select(i => i.Id).ToArray() });
            command.Parameters.Add(new() { Value = unique.Select(i => i.Label).ToArray() });
            command.Parameters.Add(new() { Value = unique.Select(i => i.ImagePath).ToArray() });
            command.Parameters.Add(new() { Value = unique.Select(i => JsonSerializer.Serialize(new SortedDictionary<string, string>(i.Attributes.ToDictionary(), StringComparer.Ordinal))).ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return sequence;
    }

    /// <summary>Deletes the live items among <paramref name="ids"/> as one change (tombstones); returns its sequence and how many existed (no change when none did).</summary>
    public Task<(long Sequence, int Deleted)> DeleteAsync(IReadOnlyList<long> ids, string modelSha256, CancellationToken cancellationToken) =>
        WriteAsync(modelSha256, null, async (connection, tx, next) =>
        {
            await using var command = new NpgsqlCommand("""
                UPDATE gallery_items SET sequence = $1, deleted = true, label = '', image_path = '', attributes = '{}',
                    model_sha256 = NULL, embedding = NULL, changed_at = now()
                WHERE id = ANY($2) AND NOT deleted
                """, connection, tx);
            command.Parameters.Add(new() { Value = next });
            command.Parameters.Add(new() { Value = ids.Distinct().ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The gallery's head now.</summary>
    public async Task<GalleryState> ReadStateAsync(CancellationToken cancellationToken) =>
        (await ReadChangesAsync(long.MaxValue, long.MaxValue, 0, cancellationToken).ConfigureAwait(false)).State;

    /// <summary>
    /// Up to <paramref name="limit"/> item rows after the cursor (<paramref name="afterSequence"/>, <paramref name="afterId"/>)
    /// in (sequence, id) order, with the head read in the same statement (one snapshot).
    /// </summary>
    public Task<ChangeBatch> ReadChangesAsync(long afterSequence, long afterId, int limit, CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"""
                SELECT s.gallery_id, s.sequence, s.model_sha256, s.dimension, i.*
                FROM gallery_state s LEFT JOIN LATERAL (
                    SELECT {ItemColumns} FROM gallery_items
                    WHERE (sequence, id) > ($1, $2) ORDER BY sequence, id LIMIT $3) i ON true
                """, connection);
            command.Parameters.Add(new() { Value = afterSequence });
            command.Parameters.Add(new() { Value = afterId });
            command.Parameters.Add(new() { Value = limit });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            GalleryState? state = null;
            var rows = new List<GalleryRow>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                state ??= ReadState(reader);
                if (!reader.IsDBNull(4)) rows.Add(ReadRow(reader, 4));
            }
            return new ChangeBatch(state ?? throw new StoreException(StoreError.Incompatible, $"{Target}: gallery_state has no row."), rows);
        });

    /// <summary>
    /// A connection listening on <see cref="Channel"/> (its <see cref="NpgsqlConnection.Notification"/> event fires during
    /// <see cref="NpgsqlConnection.WaitAsync(TimeSpan, CancellationToken)"/>) and the schema whose notifications concern this gallery.
    /// </summary>
    public Task<(NpgsqlConnection Connection, string Schema)> ListenAsync(CancellationToken cancellationToken) =>
        Guard(async () =>
        {
            var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT current_schema()", connection);
                var schema = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                return (connection, schema);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        });

    /// <summary>Forgets pooled connections (after the database restarted they are all broken).</summary>
    public void ResetConnections() => NpgsqlConnection.ClearAllPools();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        _schemaGate.Dispose();
    }

    /// <summary>Maps a failure of the database to a <see cref="StoreException"/> (and leaves every other exception as it is).</summary>
    public StoreException Unavailable(Exception e, bool committing) => e switch
    {
        PostgresException pg when !IsTransient(pg) => new StoreException(StoreError.Incompatible,
            $"the gallery database {Target} refused the operation: {pg.SqlState} {pg.MessageText}", e),
        _ => new StoreException(StoreError.Unavailable, committing
            ? $"the gallery database {Target} failed while committing ({Message(e)}); the write may or may not have been applied: retry it (writes are idempotent)."
            : $"the gallery database {Target} is unavailable ({Message(e)}); nothing was written: retry later.", e) { OutcomeUnknown = committing },
    };

    private async Task<(long Sequence, int Count)> WriteAsync(string modelSha256, int? dimension,
        Func<NpgsqlConnection, NpgsqlTransaction, long, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await TryWriteAsync(modelSha256, dimension, body, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.Error == StoreError.Unavailable && e.InnerException is not null && !e.OutcomeUnknown)
        {
            // Pooled connections die with a restarted server and fail on first use; nothing was written, so one retry
            // on fresh connections tells a dead pool from a dead server.
            ResetConnections();
            return await TryWriteAsync(modelSha256, dimension, body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(long Sequence, int Count)> TryWriteAsync(string modelSha256, int? dimension,
        Func<NpgsqlConnection, NpgsqlTransaction, long, Task<int>> body, CancellationToken cancellationToken)
    {
        bool committing = false;
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Writers queue on the state row: the next sequence is taken, written and committed in order.
            await using (var settings = new NpgsqlCommand("SET LOCAL synchronous_commit = on; SET LOCAL lock_timeout = '5s'", connection, tx))
                await settings.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            GalleryState state;
            await using (var locking = new NpgsqlCommand("SELECT gallery_id, sequence, model_sha256, dimension FROM gallery_state FOR UPDATE", connection, tx))
            await using (var reader = await locking.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) throw new StoreException(StoreError.Incompatible, $"{Target}: gallery_state has no row.");
                state = ReadState(reader);
            }
            if (state.ModelSha256 is { } model && !string.Equals(model, modelSha256, StringComparison.OrdinalIgnoreCase))
                throw new StoreException(StoreError.ModelMismatch,
                    $"the shared gallery holds embeddings of model {model}; this replica serves model {modelSha256}. Reload this replica with the gallery's model (or switch the gallery to this one) before writing.");
            long next = state.Sequence + 1;
            int count = await body(connection, tx, next).ConfigureAwait(false);
            if (count == 0)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return (state.Sequence, 0);
            }
            await using (var advance = new NpgsqlCommand("""
                WITH advanced AS (
                    UPDATE gallery_state SET sequence = $1, model_sha256 = $2, dimension = coalesce($3, dimension), updated_at = now() RETURNING sequence)
                SELECT pg_notify($4, current_schema() || ' ' || sequence) FROM advanced
                """, connection, tx))
            {
                advance.Parameters.Add(new() { Value = next });
                advance.Parameters.Add(new() { Value = modelSha256 });
                advance.Parameters.Add(new() { Value = (object?)dimension ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
                advance.Parameters.Add(new() { Value = Channel });
                await advance.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            committing = true;
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return (next, count);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw Unavailable(e, committing);
        }
    }

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw Unavailable(e, committing: false);
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_migrated) return connection;
        try
        {
            await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_migrated)
                {
                    AppliedMigrations = await GallerySchema.MigrateAsync(_source, cancellationToken).ConfigureAwait(false);
                    _migrated = true;
                }
            }
            finally { _schemaGate.Release(); }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static GalleryState ReadState(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3));

    private static GalleryRow ReadRow(NpgsqlDataReader reader, int first)
    {
        long id = reader.GetInt64(first);
        var attributesJson = reader.GetString(first + 5);
        Dictionary<string, string> attributes;
        try
        {
            attributes = JsonSerializer.Deserialize<Dictionary<string, string>>(attributesJson) ?? [];
        }
        catch (JsonException e)
        {
            throw new StoreException(StoreError.Incompatible, $"gallery_items row {id}: attributes are not an object of strings ({e.Message}).");
        }
        return new GalleryRow(id, reader.GetInt64(first + 1), reader.GetBoolean(first + 2), reader.GetString(first + 3), reader.GetString(first + 4),
            attributes, reader.IsDBNull(first + 6) ? null : reader.GetString(first + 6),
            reader.IsDBNull(first + 7) ? null : reader.GetFieldValue<float[]>(first + 7));
    }

    // Lost connections, shutdowns, resource limits, lock timeouts, serialization failures: worth a retry.
    private static bool IsTransient(PostgresException e) =>
        e.IsTransient || e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
        || e.SqlState is "55P03" or "25006" or "40001" or "40P01";

    private static string Message(Exception e) => e is PostgresException pg ? $"{pg.SqlState} {pg.MessageText}" : e.InnerException?.Message ?? e.Message;
}
