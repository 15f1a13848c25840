namespace Retrieval.Core.Storage;

/// <summary>A storage file (log segment, snapshot, manifest) that cannot be trusted: names the file and the byte offset. (An IOException: InvalidDataException is sealed.)</summary>
public sealed class StorageCorruptException(string file, long offset, string problem)
    : IOException($"{file}: {problem} (at byte offset {offset}).")
{
    /// <summary>The damaged file.</summary>
    public string File { get; } = file;

    /// <summary>Where in the file the damage was found.</summary>
    public long Offset { get; } = offset;
}
