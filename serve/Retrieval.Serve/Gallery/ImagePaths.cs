namespace Retrieval.Serve.Gallery;

/// <summary>
/// Gallery image paths are names inside the data root's image folder, never file-system paths: relative, no '..'
/// segment, no NUL. Checked when a client sends one and again, against the resolved path, before a file is opened.
/// </summary>
public static class ImagePaths
{
    /// <summary>Why <paramref name="path"/> is not a name inside a root ("is absolute", ...), or null when it is one.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0) return "is empty";
        if (path.Contains('\0')) return "holds a NUL character";
        if (Path.IsPathRooted(path) || path[0] is '/' or '\\' || path.StartsWith('~')) return "is absolute: send a path relative to the data root";
        if (path.Split('/', '\\').Any(segment => segment == "..")) return "has a '..' segment: send a path inside the data root";
        return null;
    }

    /// <summary>
    /// The file <paramref name="path"/> names under <paramref name="root"/>, or null (with the reason) when it is not a
    /// name inside the root — lexically, after '.' and '..' are resolved.
    /// </summary>
    public static string? Resolve(string root, string path, out string? problem)
    {
        problem = Problem(path);
        if (problem is not null) return null;
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.Combine(fullRoot, path));
        if (!full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            problem = "resolves outside the data root";
            return null;
        }
        return full;
    }
}
