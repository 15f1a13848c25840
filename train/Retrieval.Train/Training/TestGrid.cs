using Retrieval.Core.Metrics;
using Retrieval.Core.Pictures;

namespace Retrieval.Train.Training;

/// <summary>
/// The qualitative grid of the test split at the end of training, drawn by core's <see cref="RetrievalGrid"/> from the
/// test embeddings: the same seeded queries as `retrieval eval` picks from the same split; labels are the run's class indices.
/// </summary>
public static class TestGrid
{
    /// <summary>Draws the grid of <paramref name="queries"/> against <paramref name="references"/> (the same list: query = reference) to <paramref name="path"/>.</summary>
    public static void Save(string path, IReadOnlyList<LabeledImage> queries, float[] queryVectors,
        IReadOnlyList<LabeledImage> references, float[] referenceVectors, int dimension, string dataRoot)
    {
        var settings = new RetrievalGridSettings();
        var mode = ReferenceEquals(queries, references) ? EvaluationMode.QueryIsReference : EvaluationMode.QueryVsGallery;
        var rows = RetrievalGridRows.FromEmbeddings(queryVectors, Images(queries), referenceVectors, Images(references), dimension, mode, settings);
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dataRoot));
        RetrievalGrid.Save(path, rows, $"{name} test split: {rows.Count} sampled queries (seed {settings.Seed}), exact top-{settings.K}; green = same class", settings);
    }

    private static List<GridImage> Images(IReadOnlyList<LabeledImage> items) =>
        items.Select(i => new GridImage(i.Path, $"class {i.Label}")).ToList();
}
