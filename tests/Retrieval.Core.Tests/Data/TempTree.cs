namespace Retrieval.Core.Tests.Data;

/// <summary>A temporary folder for fixture files, deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("dataset-").FullName;

    /// <summary>Writes lines joined by <paramref name="newline"/> (with a final newline) to root/relative.</summary>
    public string Write(string relative, string newline, params string[] lines)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join(newline, lines) + newline);
        return path;
    }

    /// <summary>Creates an empty file root/relative (an image placeholder).</summary>
    public void Touch(string relative)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
