using System.Text.Json;
using System.Text.Json.Serialization;

namespace Retrieval.Core.Metrics;

/// <summary>
/// Retrieval quality averaged over the scored queries: P@1, R-Precision, MAP@R ("A Metric Learning Reality Check")
/// and DML Recall@K; queries whose label has no reference are left out and counted in ExcludedQueries.
/// </summary>
public sealed record RetrievalReport(
    int Queries,
    int ExcludedQueries,
    double PrecisionAt1,
    double RPrecision,
    double MapAtR,
    IReadOnlyDictionary<int, double> RecallAtK)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The report as indented snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static RetrievalReport FromJson(string json) =>
        JsonSerializer.Deserialize<RetrievalReport>(json, Json) ?? throw new JsonException("empty retrieval report");
}
