using System.Text.Json;
using Retrieval.Core.IO;

namespace Retrieval.Study.Runs;

/// <summary>The part results and resource records of a study folder (JSON, atomic writes; a corrupt file is an error naming it).</summary>
public sealed class StudyFiles(string root)
{
    public string Root { get; } = root;
    public string Modern => Path.Combine(Root, "modern.json");
    public string Dims => Path.Combine(Root, "dims.json");
    public string Traditional => Path.Combine(Root, "traditional.json");
    public string Diagnosis => Path.Combine(Root, "diagnosis.json");
    /// <summary>The resource records of one part (a file per part: parts may run in parallel processes).</summary>
    public string Resources(string part) => Path.Combine(Root, $"resources-{part}.json");
    public string Heads => Path.Combine(Root, "heads");
    public string TraditionalRuns => Path.Combine(Root, "traditional");

    public void Save<T>(string path, T value)
    {
        Directory.CreateDirectory(Root);
        JsonFiles.Write(path, value);
    }

    /// <summary>The object in <paramref name="path"/>, or default when the file does not exist.</summary>
    public static T? Load<T>(string path)
    {
        if (!File.Exists(path)) return default;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), JsonFiles.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid study result ({e.Message}); delete it to recompute that part", e);
        }
    }

    /// <summary>Appends one invocation's resource record.</summary>
    public void AddResources(PartResources record) =>
        Save(Resources(record.Part), (Load<List<PartResources>>(Resources(record.Part)) ?? []).Append(record).ToList());

    private static readonly string[] PartNames = ["modern", "diagnose", "traditional", "dims"];

    /// <summary>Every part's resource records, part by part.</summary>
    public IReadOnlyList<PartResources> AllResources() =>
        PartNames.SelectMany(p => Load<List<PartResources>>(Resources(p)) ?? []).ToList();
}
