using Retrieval.Core.IO;
using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// The embedded <see cref="ICollectionStore"/>: one folder holding <c>MANIFEST</c> (<see cref="CollectionManifest"/>,
/// the commit point), the current snapshot (<c>snapshot-{seq}.index</c>: the index file itself, e.g. the HNSW graph;
/// <c>snapshot-{seq}.items</c>: the item metadata) and the write-ahead log (<c>wal-{seq}.log</c> segments,
/// <see cref="WriteAheadLog"/>). Every file is checksummed; snapshot files and the manifest are written with
/// <see cref="AtomicFile"/>, log records are fsynced one by one.
/// </summary>
/// <remarks>
/// A snapshot is committed by replacing the manifest; only then are the files and log segments it supersedes
/// deleted, so a crash at any point leaves a manifest whose snapshot and log are complete. At open, leftovers of an
/// interrupted commit (temporary files, snapshot files the manifest does not name) are removed. The store only ever
/// writes or deletes inside a folder it created (one holding a manifest, or empty when it was created), and holds
/// an exclusive lock on <c>LOCK</c> while open, so a second process cannot open the same folder.
/// </remarks>
public sealed class LocalCollectionStore : ICollectionStore
{
    private const string SnapshotPattern = "snapshot-*";
    private const string LockFile = "LOCK";
    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly Action<string> _warn;
    private readonly Lock _logLock = new();
    private readonly Lock _snapshotLock = new();
    private WriteAheadLog? _log;
    private CollectionManifest _manifest;

    private LocalCollectionStore(string directory, FileStream folderLock, CollectionManifest manifest, Action<string> warn) =>
        (_directory, _lock, _manifest, _warn) = (directory, folderLock, manifest, warn);

    /// <inheritdoc />
    public CollectionManifest Manifest => Volatile.Read(ref _manifest);

    /// <inheritdoc />
    public long LastSequence
    {
        get { lock (_logLock) return _log?.LastSequence ?? Manifest.Sequence; }
    }

    /// <summary>Whether <paramref name="directory"/> holds a collection (its manifest).</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, CollectionManifest.FileName));

    /// <summary>Opens an existing collection folder (removing leftovers of an interrupted write); <see cref="LoadSnapshot"/> and <see cref="Replay"/> come next.</summary>
    public static LocalCollectionStore Open(string directory, Action<string> warn)
    {
        directory = Path.GetFullPath(directory);
        var folderLock = Lock(directory);
        try
        {
            return Open(directory, folderLock, warn);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    private static LocalCollectionStore Open(string directory, FileStream folderLock, Action<string> warn)
    {
        int orphans = AtomicFile.RemoveOrphans(directory, CollectionManifest.FileName) + AtomicFile.RemoveOrphans(directory, SnapshotPattern)
            + AtomicFile.RemoveOrphans(directory, "wal-*");
        if (orphans > 0) warn($"{directory}: removed {orphans} temporary files left by an interrupted write.");
        var manifest = CollectionManifest.Read(directory);
        foreach (var file in Directory.EnumerateFiles(directory, SnapshotPattern))
        {
            var name = Path.GetFileName(file);
            if (name == manifest.IndexFile || name == manifest.ItemsFile) continue;
            File.Delete(file);
            warn($"{directory}: removed {name}, a snapshot that was never committed or was superseded.");
        }
        return new LocalCollectionStore(directory, folderLock, manifest, warn);
    }

    /// <summary>
    /// Creates a collection in <paramref name="directory"/> (absent, empty, or holding only the leftovers of an
    /// interrupted create) with <paramref name="index"/> and <paramref name="items"/> as its first snapshot, at
    /// sequence 0; the log is open for appends.
    /// </summary>
    public static LocalCollectionStore Create(string directory, IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items,
        string indexKind, IReadOnlyDictionary<string, string> properties, Action<string> warn)
    {
        directory = Path.GetFullPath(directory);
        if (File.Exists(directory)) throw new IOException($"{directory} is a file; a collection needs a folder.");
        Directory.CreateDirectory(directory);
        var foreign = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Where(n => !IsOurs(n!)).ToList();
        if (foreign.Count > 0)
            throw new IOException($"{directory} is not empty and holds no collection (it has {string.Join(", ", foreign.Take(3))}); refusing to write into a folder this server did not create. Use a new or empty folder.");
        var folderLock = Lock(directory);
        try
        {
            foreach (var leftover in Directory.EnumerateFiles(directory).Where(f => Path.GetFileName(f) != LockFile)) File.Delete(leftover);
            var manifest = new CollectionManifest(0, index.Dimension, index.Metric, indexKind, "", "", properties);
            var store = new LocalCollectionStore(directory, folderLock, manifest, warn);
            store.WriteSnapshot(0, index, items, properties);
            store.Replay(0, (_, _) => throw new InvalidOperationException("a new collection has no log"));
            return store;
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IVectorIndex LoadSnapshot(IVectorIndexFactory factory, Action<long, ItemMetadata> addItem)
    {
        var m = Manifest;
        var manifestPath = Path.Combine(_directory, CollectionManifest.FileName);
        if (m.IndexKind != factory.Kind)
            throw new StorageCorruptException(manifestPath, 0, $"the collection holds a '{m.IndexKind}' index; this server opens '{factory.Kind}' indexes");
        var indexPath = Path.Combine(_directory, m.IndexFile);
        var index = factory.Load(indexPath);
        if (index.Dimension != m.Dimension || index.Metric != m.Metric)
            throw new StorageCorruptException(indexPath, 0, $"index of dimension {index.Dimension} ({index.Metric}), the manifest says {m.Dimension} ({m.Metric})");
        var itemsPath = Path.Combine(_directory, m.ItemsFile);
        long sequence = ItemsFile.Read(itemsPath, addItem);
        if (sequence != m.Sequence) throw new StorageCorruptException(itemsPath, 12, $"snapshot of sequence {sequence}, the manifest says {m.Sequence}");
        return index;
    }

    /// <inheritdoc />
    public void Replay(long afterSequence, Action<long, CollectionChange> apply)
    {
        lock (_logLock)
        {
            if (_log is not null) throw new InvalidOperationException("the log is already open.");
            _log = WriteAheadLog.Open(_directory, afterSequence, (sequence, payload, file, offset) =>
            {
                CollectionChange change;
                try
                {
                    change = ChangeCodec.Decode(payload);
                }
                catch (InvalidDataException e)
                {
                    throw new StorageCorruptException(file, offset, $"change {sequence} is unreadable: {e.Message}");
                }
                try
                {
                    apply(sequence, change);
                }
                catch (ArgumentException e)
                {
                    throw new StorageCorruptException(file, offset, $"change {sequence} cannot be applied: {e.Message}");
                }
            }, _warn);
        }
    }

    /// <inheritdoc />
    public long Append(CollectionChange change)
    {
        var payload = ChangeCodec.Encode(change);
        lock (_logLock) return Log.Append(payload);
    }

    /// <inheritdoc />
    public long BeginSnapshot()
    {
        lock (_logLock) return Log.Seal();
    }

    /// <inheritdoc />
    public bool CommitSnapshot(long sequence, IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items, IReadOnlyDictionary<string, string> properties)
    {
        lock (_snapshotLock)
        {
            if (sequence <= Manifest.Sequence) return false;
            WriteSnapshot(sequence, index, items, properties);
            lock (_logLock) Log.DropThrough(sequence);
            return true;
        }
    }

    /// <inheritdoc />
    public long CommitReplacement(IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items, IReadOnlyDictionary<string, string> properties)
    {
        lock (_snapshotLock)
        {
            long sequence = LastSequence + 1;
            WriteSnapshot(sequence, index, items, properties);
            lock (_logLock)
            {
                Log.AdvanceTo(sequence);
                Log.DropThrough(sequence);
            }
            return sequence;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_logLock) _log?.Dispose();
        _lock.Dispose();
    }

    // One process per folder: two writers would interleave their logs. The OS drops the lock when a process dies.
    private static FileStream Lock(string directory)
    {
        try
        {
            return new FileStream(Path.Combine(directory, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{directory} is in use by another process (it holds {LockFile}); give each server its own gallery folder.", e);
        }
    }

    private WriteAheadLog Log => _log ?? throw new InvalidOperationException("the log is not open (Replay first).");

    private void WriteSnapshot(long sequence, IVectorIndex index, IEnumerable<KeyValuePair<long, ItemMetadata>> items, IReadOnlyDictionary<string, string> properties)
    {
        var old = Manifest;
        var next = old with
        {
            Sequence = sequence, Dimension = index.Dimension, Metric = index.Metric, IndexFile = $"snapshot-{sequence:D20}.index", ItemsFile = $"snapshot-{sequence:D20}.items",
            Properties = new Dictionary<string, string>(properties),
        };
        index.Save(Path.Combine(_directory, next.IndexFile));
        ItemsFile.Write(Path.Combine(_directory, next.ItemsFile), sequence, items);
        next.Write(_directory);
        Volatile.Write(ref _manifest, next);
        foreach (var superseded in new[] { old.IndexFile, old.ItemsFile })
            if (superseded.Length > 0 && superseded != next.IndexFile && superseded != next.ItemsFile) File.Delete(Path.Combine(_directory, superseded));
    }

    private static bool IsOurs(string name) =>
        name == LockFile || name.StartsWith("snapshot-", StringComparison.Ordinal) || LogSegment.TryParseName(name, out _)
        || (name.EndsWith(".tmp", StringComparison.Ordinal) && (name.StartsWith(".snapshot-", StringComparison.Ordinal)
            || name.StartsWith(".wal-", StringComparison.Ordinal) || name.StartsWith($".{CollectionManifest.FileName}.", StringComparison.Ordinal)));
}
