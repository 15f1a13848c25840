namespace Retrieval.Serve.Engine;

/// <summary>
/// Opens a file only when it is a non-empty regular file of at most a given size: devices (/dev/zero), FIFOs and
/// directories report no size, so they are refused before open() — which on a FIFO would block forever.
/// </summary>
public static class RegularFile
{
    /// <summary>Opens <paramref name="path"/> for reading, or throws <see cref="IOException"/> saying why not (without echoing other paths).</summary>
    public static FileStream Open(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException("no such file");
        // A link reports its own size: judge the file it finally points at.
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? throw new IOException("not a regular file");
        if (!info.Exists) throw new FileNotFoundException("no such file");
        if (info.Length == 0) throw new IOException("empty or not a regular file");
        if (info.Length > maxBytes) throw new IOException($"{info.Length} bytes, above the limit of {maxBytes}");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (stream.Length != info.Length || stream.Length > maxBytes)
        {
            stream.Dispose();
            throw new IOException("the file changed while it was opened");
        }
        return stream;
    }

    /// <summary>Reads the whole of a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = Open(path, maxBytes);
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }
}
