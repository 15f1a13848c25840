using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retrieval.Core.IO;

/// <summary>
/// The JSON conventions of every file the project writes (eval.json, test-metrics.json, config.json, metrics.jsonl,
/// benchmark results, markers): snake_case names, as Python and ML tooling expect (map_at_r, recall_at_k); enums as
/// snake_case strings; infinities and NaN as named literals; written atomically.
/// </summary>
public static class JsonFiles
{
    /// <summary>One-line JSON (metrics.jsonl rows, keys, embedded headers).</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Indented JSON for files people read.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>Writes <paramref name="value"/> as indented JSON (and a final newline) to <paramref name="path"/>, atomically.</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Indented) + "\n");

    /// <summary>Reads a file written by <see cref="Write{T}"/>; an empty or malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static T Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: empty JSON document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {typeof(T).Name} JSON file: {e.Message}", e);
        }
    }
}
