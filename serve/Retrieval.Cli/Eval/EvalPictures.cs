using Retrieval.Core.Data;
using Retrieval.Core.Metrics;
using Retrieval.Core.Pictures;
using Retrieval.Core.Search;

namespace Retrieval.Cli.Eval;

/// <summary>
/// The pictures of an offline evaluation, beside eval.md: the qualitative grid (a seeded sample of queries and their exact
/// top-k, green = same class, red = not) and the Recall@K curve of exact search and HNSW for K = 1..50.
/// </summary>
public static class EvalPictures
{
    /// <summary>Largest K on the Recall@K curve (the In-Shop protocol stops at 50).</summary>
    public const int MaxCurveK = 50;

    /// <summary>Writes <see cref="EvalFiles.Grid"/> and <see cref="EvalFiles.RecallCurve"/> into <paramref name="directory"/>.</summary>
    /// <param name="references">The ranked set: the gallery, or the queries themselves in QueryIsReference mode.</param>
    public static void Write(string directory, RetrievalDataset dataset, IReadOnlyList<DatasetItem> queries, IReadOnlyList<DatasetItem> references,
        EvaluationMode mode, IReadOnlyList<Neighbor[]> exact, IReadOnlyList<Neighbor[]> hnsw, RetrievalGridSettings grid)
    {
        var rows = RetrievalGridRows.FromRankings(exact, Images(dataset, queries), Images(dataset, references), grid);
        RetrievalGrid.Save(Path.Combine(directory, EvalFiles.Grid), rows,
            $"{dataset.Name}: {rows.Count} sampled queries (seed {grid.Seed}), exact top-{grid.K}; green = same class", grid);

        var codes = new LabelCodes();
        int[] queryLabels = codes.Encode(queries), referenceLabels = codes.Encode(references);
        int maxK = Math.Min(MaxCurveK, exact.Count == 0 ? 1 : Math.Max(1, exact.Max(r => r.Length)));
        var ks = Enumerable.Range(1, maxK).ToArray();
        RecallCurvePlot.Save(Path.Combine(directory, EvalFiles.RecallCurve),
            Curve(exact, queryLabels, referenceLabels, mode, ks), Curve(hnsw, queryLabels, referenceLabels, mode, ks),
            $"Recall@K on {dataset.Name} ({queries.Count} queries)");
    }

    private static double[] Curve(IReadOnlyList<Neighbor[]> rankings, int[] queryLabels, int[] referenceLabels, EvaluationMode mode, int[] ks)
    {
        var recall = RetrievalMetrics.Score(rankings, queryLabels, referenceLabels, mode, ks).RecallAtK;
        return ks.Select(k => recall[k]).ToArray();
    }

    private static List<GridImage> Images(RetrievalDataset dataset, IReadOnlyList<DatasetItem> items) =>
        items.Select(i => new GridImage(dataset.AbsolutePath(i), i.Label)).ToList();
}
