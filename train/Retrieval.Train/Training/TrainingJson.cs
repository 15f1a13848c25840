using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retrieval.Train.Training;

/// <summary>The JSON settings of every file the trainer writes (camelCase, enums as strings, infinities allowed).</summary>
public static class TrainingJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Indented variant for config.json and test-metrics.json.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
