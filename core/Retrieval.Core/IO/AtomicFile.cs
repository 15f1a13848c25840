using System.Runtime.InteropServices;
using System.Text;

namespace Retrieval.Core.IO;

/// <summary>
/// The one way this project writes a file: into a temporary sibling, flushed to disk (fsync), renamed over the
/// target, then the folder fsynced so the rename itself survives a power cut. Readers see the old file or the new
/// one, never a half-written one; on any failure the temporary file is removed and the target is untouched.
/// </summary>
/// <remarks>
/// Temporary names are <c>.{file name}.{pid}.{random}.tmp</c> in the target's folder (a rename is only atomic
/// within one file system); <see cref="RemoveOrphans"/> deletes the ones a killed process left behind.
/// </remarks>
public static partial class AtomicFile
{
    private const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="path"/> with whatever <paramref name="write"/> puts into the stream.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            SyncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>Writes bytes.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Deletes temporary files that an interrupted <see cref="Write"/> of <paramref name="path"/> left in its folder
    /// (only names this helper makes for that file); returns how many were removed.
    /// </summary>
    public static int RemoveOrphans(string path)
    {
        var full = Path.GetFullPath(path);
        return RemoveOrphans(Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    /// <summary>
    /// Deletes the temporary files that interrupted writes of any file in <paramref name="directory"/> whose name
    /// matches <paramref name="fileNamePattern"/> (wildcards as in Directory.EnumerateFiles, e.g. "snapshot-*") left
    /// behind; returns how many were removed.
    /// </summary>
    public static int RemoveOrphans(string directory, string fileNamePattern)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, $".{fileNamePattern}.*{TempSuffix}"))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    /// <summary>fsyncs a folder so that a rename inside it is durable (a no-op where the OS cannot open folders).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return; // not openable (permissions): the data itself is already on disk
        try { Fsync(fd); }
        finally { Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
