using System.Text.Json;
using System.Text.Json.Serialization;
using Retrieval.Core.IO;

namespace Retrieval.Core.Metrics;

/// <summary>
/// Retrieval quality averaged over the scored queries: P@1, R-Precision, MAP@R ("A Metric Learning Reality Check")
/// and DML Recall@K; queries whose label has no reference are left out and counted in ExcludedQueries.
/// </summary>
public sealed record RetrievalReport(
    int Queries,
    int ExcludedQueries,
    [property: JsonPropertyName("precision_at_1")] double PrecisionAt1,   // the model metadata's key; snake_case alone gives "precision_at1"
    double RPrecision,
    double MapAtR,
    IReadOnlyDictionary<int, double> RecallAtK)
{
    /// <summary>The report as indented JSON (<see cref="JsonFiles"/>: snake_case).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonFiles.Indented);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static RetrievalReport FromJson(string json) =>
        JsonSerializer.Deserialize<RetrievalReport>(json, JsonFiles.Options) ?? throw new JsonException("empty retrieval report");
}
