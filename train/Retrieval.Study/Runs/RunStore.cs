using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Retrieval.Core.IO;
using Retrieval.Study.Heads;
using Retrieval.Train.Training;

namespace Retrieval.Study.Runs;

/// <summary>
/// Finished head trainings on disk, one JSON file per job (named by a hash of its key, holding the full key so a
/// mismatch is caught) plus, when kept, the best weights beside it. The weights are written before the JSON, so a
/// JSON file means the run is complete; a run killed half way leaves nothing that is read back.
/// </summary>
public sealed class RunStore(string directory, string featuresId)
{
    private sealed record Entry(string Key, string Job, HeadOutcome Outcome, bool HasWeights);

    /// <summary>The folder the runs are stored in.</summary>
    public string Directory { get; } = directory;

    /// <summary>The stored outcome (and weights when <paramref name="needWeights"/>) of <paramref name="job"/>, or null when it has not run.</summary>
    public (HeadOutcome Outcome, HeadWeights? Weights)? TryGet(HeadJob job, bool needWeights)
    {
        var (json, weightsPath, key) = Paths(job);
        if (!File.Exists(json)) return null;
        Entry entry;
        try
        {
            entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(json), JsonFiles.Options)
                    ?? throw new InvalidDataException($"{json}: empty run record");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{json}: not a valid run record ({e.Message}); delete it to rerun the job", e);
        }
        if (entry.Key != key) throw new InvalidDataException($"{json}: holds another job (hash collision or a moved file); delete it to rerun");
        if (!needWeights) return (entry.Outcome, null);
        if (!entry.HasWeights || !File.Exists(weightsPath)) return null;
        return (entry.Outcome, HeadWeights.Load(weightsPath));
    }

    /// <summary>Records a finished job (weights first, then the JSON that marks it complete).</summary>
    public void Put(HeadJob job, HeadOutcome outcome, HeadWeights? weights)
    {
        var (json, weightsPath, key) = Paths(job);
        System.IO.Directory.CreateDirectory(Directory);
        weights?.Save(weightsPath);
        AtomicFile.WriteAllText(json, JsonSerializer.Serialize(new Entry(key, job.Describe(), outcome, weights is not null), JsonFiles.Options));
    }

    private (string Json, string Weights, string Key) Paths(HeadJob job)
    {
        var key = job.Key(featuresId);
        var name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20].ToLowerInvariant();
        return (Path.Combine(Directory, name + ".json"), Path.Combine(Directory, name + ".head"), key);
    }
}
