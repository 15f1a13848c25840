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
    public async Task<long> UpsertAsync(IReadOnlyList<ItemWrite> items, string modelSha256, CancellationToken cancellationToken) =>
        await UpsertAsync(items, modelSha256, onlyIntoNew: false, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The first content of a new gallery: upserts <paramref name="items"/> only when the gallery has never had a change
    /// (replicas started together with the same --data seed it once); returns the change's sequence, 0 when it was not new.
    /// </summary>
    public Task<long> SeedAsync(IReadOnlyList<ItemWrite> items, string modelSha256, CancellationToken cancellationToken) =>
        UpsertAsync(items, modelSha256, onlyIntoNew: true, cancellationToken);

    private async Task<long> UpsertAsync(IReadOnlyList<ItemWrite> items, string modelSha256, bool onlyIntoNew, CancellationToken cancellationToken)
    {
        var unique = items.GroupBy(i => i.Id).Select(g => g.Last()).ToArray();
        if (unique.Length == 0) throw new ArgumentException("an upsert needs at least one item.", nameof(items));
        int dimension = unique[0].Embedding.Length;
        if (dimension == 0 || unique.Any(i => i.Embedding.Length != dimension))
            throw new ArgumentException("every embedding of an upsert must have the same, non-zero length.", nameof(items));
        var (sequence, written) = await WriteAsync(async tx =>
        {
            if (onlyIntoNew && tx.State.Sequence > 0) return 0;
            CheckModel(tx.State, modelSha256);
            if (tx.State.Dimension is { } stored && stored != dimension)
                throw new StoreException(StoreError.ModelMismatch, $"the shared gallery holds {stored}-d embeddings; this write has {dimension}-d ones.");
            int count = await tx.InsertAsync(unique, modelSha256, cancellationToken).ConfigureAwait(false);
            await tx.AdvanceAsync(modelSha256, dimension, cancellationToken).ConfigureAwait(false);
            return count;
        }, cancellationToken).ConfigureAwait(false);
        return written == 0 ? 0 : sequence;
    }

    /// <summary>Deletes the live items among <paramref name="ids"/> as one change (tombstones); returns its sequence and how many existed (no change when none did).</summary>
    public Task<(long Sequence, int Deleted)> DeleteAsync(IReadOnlyList<long> ids, string modelSha256, CancellationToken cancellationToken) =>
        WriteAsync(async tx =>
        {
            CheckModel(tx.State, modelSha256);
            int deleted = await tx.DeleteAsync(ids.Distinct().ToArray(), cancellationToken).ConfigureAwait(false);
            if (deleted > 0) await tx.AdvanceAsync(tx.State.ModelSha256 ?? modelSha256, null, cancellationToken).ConfigureAwait(false);
            return deleted;
        }, cancellationToken);

    /// <summary>
    /// Switches the whole gallery to embeddings of <paramref name="modelSha256"/> as one change: holds the write lock
    /// from start to commit (writes elsewhere wait, then fail as unavailable), hands every live item to
    /// <paramref name="reembed"/>, stores what it returns and deletes the live items it left out. Returns the change's
    /// sequence, the items kept and the items dropped. Nothing changes if it fails or is cancelled.
    /// </summary>
    public async Task<(long Sequence, int Kept, int Dropped)> SwitchModelAsync(string modelSha256, int dimension,
        Func<IReadOnlyList<GalleryRow>, CancellationToken, Task<IReadOnlyList<ItemWrite>>> reembed, CancellationToken cancellationToken)
    {
        int kept = 0, dropped = 0;
        var (sequence, _) = await WriteAsync(async tx =>
        {
            var live = await tx.LiveItemsAsync(cancellationToken).ConfigureAwait(false);
            var items = (await reembed(live, cancellationToken).ConfigureAwait(false)).GroupBy(i => i.Id).Select(g => g.Last()).ToArray();
            var liveIds = live.Select(r => r.Id).ToHashSet();
            if (items.FirstOrDefault(i => !liveIds.Contains(i.Id) || i.Embedding.Length != dimension) is { } bad)
                throw new ArgumentException($"item {bad.Id}: not a live item of the gallery, or an embedding of {bad.Embedding.Length} values (the model makes {dimension}).");
            kept = await tx.InsertAsync(items, modelSha256, cancellationToken).ConfigureAwait(false);
            var keptIds = items.Select(i => i.Id).ToHashSet();
            dropped = await tx.DeleteAsync(live.Where(r => !keptIds.Contains(r.Id)).Select(r => r.Id).ToArray(), cancellationToken).ConfigureAwait(false);
            await tx.AdvanceAsync(modelSha256, dimension, cancellationToken).ConfigureAwait(false);
            return 1;   // a change even when no item is live: the gallery's model changed
        }, cancellationToken).ConfigureAwait(false);
        return (sequence, kept, dropped);
    }

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

    /// <summary>
    /// Maps a failure of the database to a <see cref="StoreException"/>: what a reader, a writer before its commit, or a
    /// writer during its commit (outcome unknown) tells the caller.
    /// </summary>
    public StoreException Unavailable(NpgsqlException e, WriteStage stage) => e switch
    {
        PostgresException pg when !IsTransient(pg) => new StoreException(StoreError.Incompatible,
            $"the gallery database {Target} refused the operation: {pg.SqlState} {pg.MessageText}", e),
        _ => new StoreException(StoreError.Unavailable, stage switch
        {
            WriteStage.Committing => $"the gallery database {Target} failed while committing ({Message(e)}); the write may or may not have been applied: retry it (writes are idempotent).",
            WriteStage.Writing => $"the gallery database {Target} is unavailable ({Message(e)}); nothing was written: retry later.",
            _ => $"the gallery database {Target} is unavailable ({Message(e)}).",
        }, e) { OutcomeUnknown = stage == WriteStage.Committing },
    };

    // Runs one change: body writes it (returning how many items it touched; 0 = no change, rolled back) and advances the head.
    private async Task<(long Sequence, int Count)> WriteAsync(Func<GalleryTransaction, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await TryWriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e) when (e.Error == StoreError.Unavailable && !e.OutcomeUnknown && IsBrokenConnection(e.InnerException))
        {
            // Pooled connections die with a restarted server and fail on first use; nothing was written, so one retry
            // on fresh connections tells a dead pool from a dead server.
            ResetConnections();
            return await TryWriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(long Sequence, int Count)> TryWriteAsync(Func<GalleryTransaction, Task<int>> body, CancellationToken cancellationToken)
    {
        var stage = WriteStage.Writing;
        try
        {
            await using var tx = await GalleryTransaction.BeginAsync(await OpenAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            int count = await body(tx).ConfigureAwait(false);
            if (count == 0) return (tx.State.Sequence, 0);
            stage = WriteStage.Committing;
            await tx.CommitAsync().ConfigureAwait(false);
            return (tx.Next, count);
        }
        catch (NpgsqlException e)
        {
            throw Unavailable(e, stage);
        }
    }

    private static void CheckModel(GalleryState state, string modelSha256)
    {
        if (state.ModelSha256 is { } model && !string.Equals(model, modelSha256, StringComparison.OrdinalIgnoreCase))
            throw new StoreException(StoreError.ModelMismatch,
                $"the shared gallery holds embeddings of model {model}; this replica serves model {modelSha256}. Reload this replica with the gallery's model (or switch the gallery to this one) before writing.");
    }

    private async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw Unavailable(e, WriteStage.Reading);
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

    internal static GalleryState ReadState(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt32(3));

    internal static GalleryRow ReadRow(NpgsqlDataReader reader, int first)
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

    // A connection the server closed (restart, shutdown) or that failed on the wire, not a refusal such as a lock timeout.
    private static bool IsBrokenConnection(Exception? e) =>
        e is NpgsqlException and not PostgresException
        || (e is PostgresException pg && (pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02"));

    // Lost connections, shutdowns, resource limits, lock timeouts, serialization failures: worth a retry.
    private static bool IsTransient(PostgresException e) =>
        e.IsTransient || e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
        || e.SqlState is "55P03" or "25006" or "40001" or "40P01";

    private static string Message(Exception e) => e switch
    {
        // Writers wait at most 5 s for the gallery's write lock; a model switch holds it while it re-embeds.
        PostgresException { SqlState: "55P03" } => "waited 5 s for the gallery's write lock; a model switch may be running",
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        _ => e.InnerException?.Message ?? e.Message,
    };
}
