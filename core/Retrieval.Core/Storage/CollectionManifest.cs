using System.Globalization;
using System.Text;
using System.Text.Json;
using Retrieval.Core.IO;
using Retrieval.Core.Search;

namespace Retrieval.Core.Storage;

/// <summary>
/// The commit point of a collection folder, file <c>MANIFEST</c>: which snapshot is current (the sequence it covers
/// and its two files), the vector settings, and the owner's properties (the server records the model that made the
/// vectors). Text: one line of JSON (<see cref="JsonFiles.Options"/>: snake_case), then <c>crc32c XXXXXXXX</c> over that line. Replaced only with
/// <see cref="AtomicFile"/>, so a crash leaves the old manifest or the new one.
/// </summary>
public sealed record CollectionManifest(
    long Sequence,
    int Dimension,
    VectorMetric Metric,
    string IndexKind,
    string IndexFile,
    string ItemsFile,
    IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The manifest's file name inside the collection folder.</summary>
    public const string FileName = "MANIFEST";

    /// <summary>Version of this layout.</summary>
    public const int Format = 1;

    /// <summary>Writes the manifest into <paramref name="directory"/> atomically.</summary>
    public void Write(string directory)
    {
        var body = JsonSerializer.Serialize(new Document(Format, Sequence, Dimension, Metric, IndexKind, IndexFile, ItemsFile,
            new SortedDictionary<string, string>(Properties.ToDictionary(), StringComparer.Ordinal)), JsonFiles.Options);
        uint crc = Search.Crc32C.Append(0, Encoding.UTF8.GetBytes(body));
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), $"{body}\ncrc32c {crc:x8}\n");
    }

    /// <summary>Reads and checks the manifest of <paramref name="directory"/>.</summary>
    public static CollectionManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: false));
        var lines = text.Split('\n');
        if (lines.Length != 3 || lines[2].Length != 0 || !lines[1].StartsWith("crc32c ", StringComparison.Ordinal)
            || !uint.TryParse(lines[1].AsSpan(7), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint stored))
            throw new StorageCorruptException(path, 0, "not a collection manifest (expected a JSON line and a crc32c line)");
        if (Search.Crc32C.Append(0, Encoding.UTF8.GetBytes(lines[0])) != stored)
            throw new StorageCorruptException(path, 0, "checksum mismatch (the file is damaged)");
        Document d;
        try
        {
            d = JsonSerializer.Deserialize<Document>(lines[0], JsonFiles.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new StorageCorruptException(path, 0, $"unreadable JSON: {e.Message}");
        }
        if (d.Format != Format) throw new StorageCorruptException(path, 0, $"manifest format {d.Format}, this build reads {Format}");
        if (d.Sequence < 0 || d.Dimension < 1 || !Enum.IsDefined(d.Metric) || string.IsNullOrEmpty(d.IndexKind)
            || !IsPlainName(d.IndexFile) || !IsPlainName(d.ItemsFile) || d.Properties is null)
            throw new StorageCorruptException(path, 0, "a field is missing or out of range");
        return new CollectionManifest(d.Sequence, d.Dimension, d.Metric, d.IndexKind, d.IndexFile, d.ItemsFile, d.Properties);
    }

    // Snapshot files must lie in the collection folder itself.
    private static bool IsPlainName(string? name) =>
        !string.IsNullOrEmpty(name) && name == Path.GetFileName(name) && name is not ("." or "..");

    private sealed record Document(
        int Format, long Sequence, int Dimension, VectorMetric Metric, string IndexKind, string IndexFile, string ItemsFile,
        SortedDictionary<string, string> Properties);
}
