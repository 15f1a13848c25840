using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Retrieval.Serve.Replication;

/// <summary>
/// Keeps a replica's local gallery (<see cref="IReplicaSink"/>) following the shared one: LISTEN for prompt news of
/// commits, catch-up by sequence (every change after the last applied one, in order) on start, on every
/// notification, every <see cref="FollowerOptions.PollInterval"/> as a safety net, and after a lost connection, so a
/// replica that missed anything converges without help. Reads of the local gallery never wait for any of this.
/// </summary>
/// <remarks>
/// One applier at a time (a writer may run <see cref="CatchUpAsync"/> itself to see its own write at once). Rows are
/// read in pages in (sequence, id) order with a keyset cursor; the applied sequence only moves past changes read in
/// full. A row embedded by another model stops the follower before it (a replica never mixes two models in one
/// index) until the replica is reloaded with that model; a row the gallery cannot take stops it too, visibly.
/// </remarks>
public sealed class ChangeFollower : IAsyncDisposable
{
    private readonly PostgresGallery _gallery;
    private readonly IReplicaSink _sink;
    private readonly FollowerOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _applier = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _applied, _head, _cursorSequence, _cursorId;
    private long _lastContactTicks;
    private Guid? _galleryId;
    private int _disposed;
    private volatile bool _connected;
    private volatile string? _problem;

    /// <summary>
    /// A follower of <paramref name="gallery"/> into <paramref name="sink"/>, which already holds every change through
    /// <paramref name="appliedSequence"/> of the shared gallery <paramref name="galleryId"/> (null: none applied yet).
    /// </summary>
    public ChangeFollower(PostgresGallery gallery, IReplicaSink sink, long appliedSequence, Guid? galleryId, ILogger logger, FollowerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(appliedSequence);
        (_gallery, _sink, _logger, _galleryId) = (gallery, sink, logger, galleryId);
        _options = options ?? new FollowerOptions();
        _options.Validate();
        _applied = _head = _cursorSequence = appliedSequence;
        _cursorId = long.MaxValue;
    }

    /// <summary>Where the replica stands.</summary>
    public ReplicationStatus Status
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastContactTicks);
            return new ReplicationStatus(Interlocked.Read(ref _applied), Interlocked.Read(ref _head), _connected,
                ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero), _problem);
        }
    }

    /// <summary>Starts following in the background.</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>
    /// Reads and applies every change committed after the applied sequence; returns the applied sequence. Throws
    /// <see cref="StoreException"/> when the database cannot be read; a change that cannot be applied is reported in
    /// <see cref="Status"/> instead.
    /// </summary>
    public async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        await _applier.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var batch = await _gallery.ReadChangesAsync(_cursorSequence, _cursorId, _options.PageRows, cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastContactTicks, DateTimeOffset.UtcNow.UtcTicks);
                RaiseHead(batch.State.Sequence);
                if (!Apply(batch)) break;
            }
            return Interlocked.Read(ref _applied);
        }
        finally { _applier.Release(); }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    // Applies one page; true when more pages follow.
    private bool Apply(ChangeBatch batch)
    {
        var rows = batch.Rows;
        if (_galleryId is { } followed && followed != batch.State.GalleryId)
        {
            SetProblem($"the database holds shared gallery {batch.State.GalleryId}, but this replica's local gallery follows {followed}. "
                + "Remove the replica's local gallery folder to rebuild it from this database, or point it at its own database.");
            return false;
        }
        if (batch.State.Sequence < Interlocked.Read(ref _applied))
        {
            SetProblem($"the shared gallery's newest change is {batch.State.Sequence}, yet this replica applied up to {Interlocked.Read(ref _applied)}: "
                + "the database is not the one this replica followed (recreated or restored from an older backup). Remove the replica's local gallery to rebuild it from the database.");
            return false;
        }
        string mine = _sink.ModelSha256;
        int foreign = -1;
        for (int i = 0; i < rows.Count && foreign < 0; i++)
            if (!rows[i].Deleted && !string.Equals(rows[i].ModelSha256, mine, StringComparison.OrdinalIgnoreCase)) foreign = i;
        bool complete = rows.Count < _options.PageRows && foreign < 0;
        var take = foreign < 0 ? rows : rows.Take(foreign).ToArray();
        long through = complete ? batch.State.Sequence
            : Math.Max(Interlocked.Read(ref _applied), (foreign >= 0 ? rows[foreign].Sequence : rows[^1].Sequence) - 1);
        try
        {
            if (take.Count > 0 || through > Interlocked.Read(ref _applied)) _sink.Apply(take, batch.State.GalleryId, through);
            _galleryId = batch.State.GalleryId;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            SetProblem($"a change after sequence {Interlocked.Read(ref _applied)} cannot be applied to the local gallery: {e.Message}");
            return false;
        }
        Interlocked.Exchange(ref _applied, through);
        if (complete) (_cursorSequence, _cursorId) = (through, long.MaxValue);
        else if (take.Count > 0) (_cursorSequence, _cursorId) = (take[^1].Sequence, take[^1].Id);
        if (foreign >= 0)
        {
            SetProblem($"the shared gallery switched to embeddings of model {rows[foreign].ModelSha256} at sequence {rows[foreign].Sequence}; "
                + $"this replica serves model {mine} and keeps serving its gallery as of sequence {through} until it is reloaded with that model.");
            return false;
        }
        if (batch.State.ModelSha256 is { } active && !string.Equals(active, mine, StringComparison.OrdinalIgnoreCase))
            SetProblem($"the shared gallery's model is {active}; this replica serves model {mine}.");
        else SetProblem(null);
        return !complete;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = _options.RetryMin;
        while (!stop.IsCancellationRequested)
        {
            NpgsqlConnection? listener = null;
            try
            {
                (listener, var schema) = await _gallery.ListenAsync(stop).ConfigureAwait(false);
                listener.Notification += (_, e) => OnNotification(schema, e.Payload);
                if (!_connected) _logger.LogInformation("Following the shared gallery at {Target} from sequence {Sequence}", _gallery.Target, Interlocked.Read(ref _applied));
                _connected = true;
                backoff = _options.RetryMin;
                await CatchUpAsync(stop).ConfigureAwait(false);
                while (!stop.IsCancellationRequested)
                {
                    await listener.WaitAsync(_options.PollInterval, stop).ConfigureAwait(false);
                    await CatchUpAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is StoreException or NpgsqlException)
            {
                _connected = false;
                var reason = e is NpgsqlException npgsql ? _gallery.Unavailable(npgsql, WriteStage.Reading).Message : e.Message;
                SetProblem($"{reason} Serving the local gallery as of sequence {Interlocked.Read(ref _applied)}; retrying.");
                _gallery.ResetConnections();
                try
                {
                    await Task.Delay(backoff, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.RetryMax.Ticks));
            }
            finally
            {
                if (listener is not null) await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
        _connected = false;
    }

    private void OnNotification(string schema, string payload)
    {
        var parts = payload.Split(' ');
        if (parts.Length == 2 && parts[0] == schema && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
            RaiseHead(sequence);
    }

    private void RaiseHead(long sequence)
    {
        long seen;
        while (sequence > (seen = Interlocked.Read(ref _head)) && Interlocked.CompareExchange(ref _head, sequence, seen) != seen) { }
    }

    private void SetProblem(string? problem)
    {
        if (problem is not null && problem != _problem) _logger.LogWarning("Replication: {Problem}", problem);
        _problem = problem;
    }
}
