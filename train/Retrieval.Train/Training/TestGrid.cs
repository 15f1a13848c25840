using Retrieval.Core.Metrics;
using Retrieval.Core.Pictures;

namespace Retrieval.Train.Training;

/// <summary>
/// The qualitative grid of the test split at the end of training, drawn by core's <see cref="RetrievalGrid"/> from the
/// model's test embeddings: the same seeded queries `retrieval eval` picks from the same split; labels are the run's class indices.
/// </summary>
public static class TestGrid
{
    /// <summary>Draws the grid of <paramref name="test"/> from its embeddings (<see cref="EvaluationSet.Embed"/>) to <paramref name="path"/>.</summary>
    public static void Save(string path, EvaluationSet test, (float[][] Queries, float[][]? Gallery) embedded, string dataRoot)
    {
        var settings = new RetrievalGridSettings();
        var (queries, gallery) = embedded;
        int dim = queries.Length == 0 ? 1 : queries[0].Length;
        var flatQueries = queries.SelectMany(v => v).ToArray();
        var rows = gallery is null
            ? RetrievalGridRows.FromEmbeddings(flatQueries, Images(test.Queries), flatQueries, Images(test.Queries), dim, EvaluationMode.QueryIsReference, settings)
            : RetrievalGridRows.FromEmbeddings(flatQueries, Images(test.Queries), gallery.SelectMany(v => v).ToArray(), Images(test.Gallery!), dim,
                EvaluationMode.QueryVsGallery, settings);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataRoot));
        RetrievalGrid.Save(path, rows, $"{name} test split: {rows.Count} sampled queries (seed {settings.Seed}), exact top-{settings.K}; green = same class", settings);
    }

    private static List<GridImage> Images(IReadOnlyList<LabeledImage> items) =>
        items.Select(i => new GridImage(i.Path, $"class {i.Label}")).ToList();
}
