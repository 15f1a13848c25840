using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Heads;

/// <summary>
/// One head training: the loss with its hyper-parameters, the head's embedding size and learning rates, which fold of
/// the class-disjoint cross-validation is held out for validation, the seed (initialisation and batch plan) and the
/// schedule. Two equal jobs on the same features give the same result; <see cref="Key"/> names it in the run store.
/// </summary>
public sealed record HeadJob(LossSettings Loss, int EmbeddingSize, double LearningRate, double LossLearningRateRatio, int Fold, int Folds, int Seed, HeadSchedule Schedule)
{
    /// <summary>
    /// The serialisation of <see cref="Key"/>: an identity, not a file format, so it stays fixed (camelCase) when the
    /// project's file conventions change — a changed key would orphan every cached training.
    /// </summary>
    private static readonly JsonSerializerOptions KeyJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>A stable identity of the job (canonical JSON), combined with the features it runs on.</summary>
    public string Key(string featuresId) => featuresId + "\n" + JsonSerializer.Serialize(this, KeyJson);

    /// <summary>"mfcwms d128 lr 1e-3 x100 fold 2 seed 7".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Loss.Name} d{EmbeddingSize} lr {LearningRate:G3} x{LossLearningRateRatio:G3} ({Loss.Describe()}) fold {Fold} seed {Seed}");
}
