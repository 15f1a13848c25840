using System.Globalization;
using System.Text;
using Retrieval.Core.IO;

namespace Retrieval.Cli.Eval;

/// <summary>The files `retrieval eval` writes beside the model: eval.json (machine-readable), eval.md (report), gallery-embeddings.npy.</summary>
public static class EvalFiles
{
    public const string Json = "eval.json";
    public const string Markdown = "eval.md";
    public const string GalleryEmbeddings = "gallery-embeddings.npy";
    public const string Grid = "eval-grid.png";
    public const string RecallCurve = "eval-recall-at-k.png";

    /// <summary>Writes eval.json and eval.md into <paramref name="directory"/>, each atomically.</summary>
    public static void Write(EvalResult result, string directory)
    {
        JsonFiles.Write(Path.Combine(directory, Json), result);
        AtomicFile.WriteAllText(Path.Combine(directory, Markdown), ToMarkdown(result));
    }

    /// <summary>Reads eval.json back.</summary>
    public static EvalResult Read(string path) => JsonFiles.Read<EvalResult>(path);

    /// <summary>The markdown report: metrics table (exact vs HNSW), the index's recall and throughput.</summary>
    public static string ToMarkdown(EvalResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine("# Retrieval evaluation").AppendLine();
        string sets = r.QueryIsReference
            ? string.Create(c, $"{r.QueryImages} test images, each a query against the others (itself excluded)")
            : string.Create(c, $"{r.QueryImages} queries against {r.GalleryImages} gallery images");
        md.AppendLine(c, $"Model `{r.Model}`, data `{r.Data}`: {sets},")
            .AppendLine(c, $"{r.EmbeddingSize}-d embeddings ({r.ExecutionProvider}); {r.Exact.Queries} queries scored, {r.Exact.ExcludedQueries} without a gallery match.")
            .AppendLine();
        md.AppendLine("| metric | exact | HNSW |").AppendLine("|---|---:|---:|");
        foreach (var (metric, exact, hnsw) in r.MetricRows())
            md.AppendLine(c, $"| {metric} | {exact:F4} | {hnsw:F4} |");
        md.AppendLine();
        md.AppendLine(c, $"HNSW (M={r.Index.M}, efConstruction={r.Index.EfConstruction}, ef={r.Index.Ef}) recall@{r.AnnRecallK} against exact search: {r.AnnRecall:F4}.")
            .AppendLine();
        var t = r.Throughput;
        md.AppendLine(c, $"![Recall@K of exact search and HNSW]({RecallCurve})").AppendLine();
        md.AppendLine(c, $"Qualitative grid (a fixed, seeded sample of queries; each row: the query, then its exact top-k, green = same class, red = not):")
            .AppendLine().AppendLine(c, $"![qualitative retrieval grid]({Grid})").AppendLine();
        md.AppendLine(c, $"Throughput ({t.Threads} threads): {t.ImagesPerSecond:F1} images/s embedded; exact search {t.ExactQueriesPerSecond:F0} queries/s;")
            .AppendLine(c, $"HNSW search {t.HnswQueriesPerSecond:F0} queries/s (index built in {t.HnswBuildSeconds:F2} s).");
        return md.ToString();
    }
}
