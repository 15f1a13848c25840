using System.Globalization;
using System.Text;
using System.Text.Json;
using Retrieval.Core.IO;
using Retrieval.Core.Search;

namespace Retrieval.Serve.Replication;

/// <summary>
/// File <c>replication</c> in a replica's gallery folder: which shared gallery the local copy follows and the change
/// sequence it has applied, so a restart catches up from there. One line of JSON and a <c>crc32c</c> line over it,
/// replaced with <see cref="AtomicFile"/> after each applied batch. It is written after the local gallery has logged
/// the batch, so after a crash it may lag the local gallery, never lead it: catching up from it re-applies some
/// item states, which changes nothing (each row is an item's whole latest state).
/// </summary>
public sealed record ReplicaCheckpoint(Guid GalleryId, long Sequence)
{
    /// <summary>The file's name inside the gallery folder.</summary>
    public const string FileName = "replication";

    private const int Format = 1;

    /// <summary>Reads the checkpoint of <paramref name="folder"/>; null when it has none; damage is an <see cref="InvalidDataException"/> naming the file.</summary>
    public static ReplicaCheckpoint? Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        AtomicFile.RemoveOrphans(path);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllText(path).Split('\n');
        string Damaged(string why) => $"{path}: {why}. Remove the gallery folder to rebuild the replica from the shared gallery.";
        if (lines.Length != 3 || lines[2].Length != 0 || !lines[1].StartsWith("crc32c ", StringComparison.Ordinal)
            || !uint.TryParse(lines[1].AsSpan(7), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint stored))
            throw new InvalidDataException(Damaged("not a replication checkpoint (expected a JSON line and a crc32c line)"));
        if (Crc32C.Append(0, Encoding.UTF8.GetBytes(lines[0])) != stored) throw new InvalidDataException(Damaged("checksum mismatch"));
        Document? d;
        try
        {
            d = JsonSerializer.Deserialize<Document>(lines[0], JsonFiles.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(Damaged($"unreadable JSON ({e.Message})"));
        }
        if (d is null || d.Format != Format || d.Sequence < 0 || d.GalleryId == Guid.Empty)
            throw new InvalidDataException(Damaged($"format {d?.Format} or a field out of range (this build reads format {Format})"));
        return new ReplicaCheckpoint(d.GalleryId, d.Sequence);
    }

    /// <summary>Replaces the checkpoint in <paramref name="folder"/> atomically.</summary>
    public void Write(string folder)
    {
        var body = JsonSerializer.Serialize(new Document(Format, GalleryId, Sequence), JsonFiles.Options);
        uint crc = Crc32C.Append(0, Encoding.UTF8.GetBytes(body));
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), $"{body}\ncrc32c {crc:x8}\n");
    }

    private sealed record Document(int Format, Guid GalleryId, long Sequence);
}
