using System.Text.Json;

namespace Retrieval.Data.Emoji;

/// <summary>
/// The emoji a class can be (every entry of emoji-datasource's emoji.json, as <see cref="EmojiKey"/> keys) and the
/// names that join CLDR-named files to them: CLDR short names (OpenMoji's openmoji.json "annotation"), Unicode names
/// and short names (emoji-datasource "name", "short_names"), each as a slug (<see cref="EmojiNameJoin.Slug"/>).
/// </summary>
public sealed class EmojiVocabulary
{
    private EmojiVocabulary(HashSet<string> keys, Dictionary<string, HashSet<string>> cldr, Dictionary<string, HashSet<string>> unicode,
        Dictionary<string, HashSet<string>> shortNames)
    {
        Keys = keys;
        CldrNames = cldr;
        UnicodeNames = unicode;
        ShortNames = shortNames;
    }

    /// <summary>Every emoji key of emoji-datasource (skin-tone variants are not entries there).</summary>
    public IReadOnlySet<string> Keys { get; }

    public IReadOnlyDictionary<string, HashSet<string>> CldrNames { get; }
    public IReadOnlyDictionary<string, HashSet<string>> UnicodeNames { get; }
    public IReadOnlyDictionary<string, HashSet<string>> ShortNames { get; }

    /// <summary>Reads emoji-datasource's emoji.json and, when given, OpenMoji's openmoji.json (CLDR names).</summary>
    public static EmojiVocabulary Load(string emojiDatasourceJson, string? openMojiJson)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var unicode = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var shortNames = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in ReadArray(emojiDatasourceJson))
        {
            string key = EmojiKey.FromFileName(Text(entry, "unified", emojiDatasourceJson)) ??
                         throw new InvalidDataException($"{emojiDatasourceJson}: '{Text(entry, "unified", emojiDatasourceJson)}' is not a codepoint sequence");
            keys.Add(key);
            if (entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                Add(unicode, name.GetString()!, key);
            if (entry.TryGetProperty("short_names", out var names) && names.ValueKind == JsonValueKind.Array)
                foreach (var n in names.EnumerateArray())
                    Add(shortNames, n.GetString() ?? "", key);
        }
        var cldr = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (openMojiJson is not null)
            foreach (var entry in ReadArray(openMojiJson))
            {
                if (entry.TryGetProperty("skintone", out var tone) && tone.ValueKind switch
                    {
                        JsonValueKind.String => tone.GetString() is { Length: > 0 },
                        JsonValueKind.Number => true,   // OpenMoji writes the tone as a number, the base emoji as ""
                        _ => false,
                    })
                    continue;
                if (EmojiKey.FromFileName(Text(entry, "hexcode", openMojiJson)) is { } key)
                    Add(cldr, Text(entry, "annotation", openMojiJson), key);
            }
        return new EmojiVocabulary(keys, cldr, unicode, shortNames);
    }

    private static void Add(Dictionary<string, HashSet<string>> table, string name, string key)
    {
        string slug = EmojiNameJoin.Slug(name);
        if (slug.Length == 0) return;
        if (!table.TryGetValue(slug, out var set)) table[slug] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(key);
    }

    private static List<JsonElement> ReadArray(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} not found (run scripts/fetch-data.sh emoji)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected a JSON array of emoji");
            return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    private static string Text(JsonElement entry, string property, string path) =>
        entry.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new InvalidDataException($"{path}: an entry has no string '{property}'");
}
