using System.Runtime.InteropServices;

namespace Retrieval.Core.IO;

/// <summary>
/// The canonical path of a file with every symbolic link resolved (POSIX realpath(3)): the only form in which "is this
/// file inside that folder" can be answered when links may point anywhere. .NET has no such call; the server runs on Linux.
/// </summary>
public static partial class RealPath
{
    /// <summary>The resolved absolute path, or null when the path or a link target does not exist or cannot be read.</summary>
    public static string? Of(string path)
    {
        if (path.Length == 0 || path.Contains('\0')) return null;
        var resolved = realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>True when <paramref name="path"/> resolves to an entry strictly inside the resolved <paramref name="root"/>.</summary>
    public static bool IsInside(string root, string path) =>
        Of(root) is { } realRoot && Of(path) is { } real &&
        real.StartsWith(Path.TrimEndingDirectorySeparator(realRoot) + "/", StringComparison.Ordinal);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void free(IntPtr pointer);
}
