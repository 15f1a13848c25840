using System.Text.Json;
using Retrieval.Core.IO;

namespace Retrieval.Data.Safety;

/// <summary>
/// The file `retrieval-data` writes into every data set folder it builds (first thing, in the staging folder): the
/// proof that a folder is the project's own, so a rebuild may replace it. A folder without it — a user's release of
/// In-Shop, CUB or SOP, anything else — is never written into, moved or deleted.
/// </summary>
/// <param name="Dataset">The project set it holds (<see cref="ProjectDatasets"/>).</param>
/// <param name="Recipe">The builder's recipe version when it was built; a newer recipe rebuilds the set.</param>
public sealed record DatasetMarker(string Dataset, int Recipe)
{
    public const string FileName = ".retrieval-dataset";
    private const string Builder = "retrieval-data";

    private sealed record Contents(string? Builder, string? Dataset, int Recipe);

    /// <summary>The marker path inside <paramref name="directory"/>.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>
    /// The marker of <paramref name="directory"/>, or null when it has none or the file is not one this project wrote
    /// (a folder with an unreadable marker is treated as not ours: it is left alone).
    /// </summary>
    public static DatasetMarker? Read(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path))
            return null;
        try
        {
            var c = JsonSerializer.Deserialize<Contents>(File.ReadAllText(path), JsonFiles.Options);
            return c is { Builder: Builder, Dataset.Length: > 0 } ? new DatasetMarker(c.Dataset, c.Recipe) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the marker into <paramref name="directory"/> (atomically).</summary>
    public void WriteTo(string directory) =>
        JsonFiles.Write(PathIn(directory), new Contents(Builder, Dataset, Recipe));
}
