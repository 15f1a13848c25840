namespace Retrieval.Core.Storage;

/// <summary>
/// The local write-ahead log: numbered changes in segment files (<see cref="LogSegment"/>) in one folder. Every
/// <see cref="Append"/> is on disk (fsync) before it returns. A snapshot covering sequence S lets the log drop the
/// segments that hold nothing after S (<see cref="Seal"/> starts a fresh segment at S + 1 first).
/// </summary>
/// <remarks>Not thread-safe: the owner serialises appends, seals and drops.</remarks>
public sealed class WriteAheadLog : IDisposable
{
    private readonly string _directory;
    private readonly List<(long First, string Path)> _sealed = [];
    private LogSegment _current;

    private WriteAheadLog(string directory, LogSegment current, long last)
    {
        _directory = directory;
        _current = current;
        LastSequence = last;
    }

    /// <summary>Sequence number of the newest change (or of the snapshot, when nothing was logged after it).</summary>
    public long LastSequence { get; private set; }

    /// <summary>
    /// Opens the log in <paramref name="directory"/>: replays every change after <paramref name="snapshotSequence"/> in
    /// order through <paramref name="replay"/> (sequence, payload, file, offset), cuts off a torn tail of the newest
    /// segment (reported through <paramref name="warn"/>) and deletes segments the snapshot covers. Throws
    /// <see cref="StorageCorruptException"/> on damage or a gap in the sequence.
    /// </summary>
    public static WriteAheadLog Open(string directory, long snapshotSequence, Action<long, byte[], string, long> replay, Action<string> warn)
    {
        var segments = Directory.EnumerateFiles(directory, "wal-*.log")
            .Select(path => LogSegment.TryParseName(Path.GetFileName(path), out long first)
                ? (First: first, Path: path)
                : throw new StorageCorruptException(path, 0, "not a log segment name (wal-<20-digit sequence>.log)"))
            .OrderBy(s => s.First)
            .ToList();
        long expected = snapshotSequence + 1, last = snapshotSequence;
        var scans = new List<SegmentScan>(segments.Count);
        for (int i = 0; i < segments.Count; i++)
        {
            var (_, path) = segments[i];
            var scan = LogSegment.Scan(path, isNewest: i == segments.Count - 1, (sequence, payload, offset) =>
            {
                if (sequence <= snapshotSequence) return;
                if (sequence != expected)
                    throw new StorageCorruptException(path, offset, $"record sequence {sequence} leaves a gap: the snapshot and earlier records end at {expected - 1}");
                replay(sequence, payload, path, offset);
                expected++;
            });
            if (scan.TornBytes > 0) warn($"{path}: cut off {scan.TornBytes} bytes after byte offset {scan.GoodLength} ({scan.TornReason}); that write was never acknowledged.");
            scans.Add(scan);
            last = Math.Max(last, Math.Max(scan.Last, scan.First - 1));
        }

        for (int i = 0; i < segments.Count - 1; i++)
            if (scans[i].Last <= snapshotSequence) File.Delete(segments[i].Path);
        LogSegment current;
        if (segments.Count > 0 && Math.Max(scans[^1].Last, scans[^1].First - 1) == last)
        {
            current = LogSegment.OpenForAppend(segments[^1].Path, scans[^1].First, scans[^1].Last, scans[^1].GoodLength);
        }
        else
        {
            if (segments.Count > 0 && scans[^1].Last <= snapshotSequence) File.Delete(segments[^1].Path);
            current = LogSegment.Create(directory, last + 1);
        }
        var log = new WriteAheadLog(directory, current, last);
        for (int i = 0; i < segments.Count - 1; i++)
            if (scans[i].Last > snapshotSequence) log._sealed.Add((segments[i].First, segments[i].Path));
        IO.AtomicFile.SyncDirectory(directory);
        return log;
    }

    /// <summary>Appends a change durably and returns its sequence number.</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        long sequence = LastSequence + 1;
        _current.Append(sequence, payload);
        LastSequence = sequence;
        return sequence;
    }

    /// <summary>Starts a new segment after the newest change (unless the current one is still empty) and returns that change's sequence.</summary>
    public long Seal()
    {
        if (!_current.IsEmpty || _current.FirstSequence != LastSequence + 1) StartSegment();
        return LastSequence;
    }

    /// <summary>
    /// Moves past changes that are not logged: a snapshot at <paramref name="sequence"/> (committed before this call)
    /// replaced everything; the next change gets sequence + 1, in a new segment.
    /// </summary>
    public void AdvanceTo(long sequence)
    {
        if (sequence <= LastSequence) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, $"must be after the last change {LastSequence}.");
        LastSequence = sequence;
        StartSegment();
    }

    /// <summary>Deletes the sealed segments whose changes are all at or before <paramref name="sequence"/> (a snapshot now covers them).</summary>
    public void DropThrough(long sequence)
    {
        var segments = _sealed.Select(s => s.First).Append(_current.FirstSequence).ToList();
        for (int i = _sealed.Count - 1; i >= 0; i--)
        {
            if (segments[i + 1] - 1 > sequence) continue;
            File.Delete(_sealed[i].Path);
            _sealed.RemoveAt(i);
        }
        IO.AtomicFile.SyncDirectory(_directory);
    }

    private void StartSegment()
    {
        var next = LogSegment.Create(_directory, LastSequence + 1);
        _sealed.Add((_current.FirstSequence, _current.Path));
        _current.Dispose();
        _current = next;
    }

    /// <inheritdoc />
    public void Dispose() => _current.Dispose();
}
