namespace Retrieval.Study.Tests;

/// <summary>A fresh folder under the system temp folder, deleted (with everything in it) on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("study-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
