using Retrieval.Core.Data;

namespace Retrieval.Train.Training;

/// <summary>
/// Builds <see cref="TrainingSets"/> from a dataset's items: the TRAIN split is divided by class into
/// training and validation (<see cref="ValidationSplit"/>); the test split provides queries and gallery.
/// Class ids become dense indices, training ones 0..C-1 in ordinal order of the id.
/// </summary>
public static class TrainingSetsBuilder
{
    /// <summary>
    /// From a loaded data set: In-Shop layout evaluates query vs gallery; a data set with a single test split
    /// (CUB, SOP) evaluates it against itself.
    /// </summary>
    public static TrainingSets FromDataset(RetrievalDataset dataset, double validationFraction)
    {
        List<(string, string)> Of(IReadOnlyList<DatasetItem> items) => items.Select(i => (dataset.AbsolutePath(i), i.Label)).ToList();
        var gallery = dataset.Gallery;
        return gallery.Count > 0
            ? Build(Of(dataset.Train), Of(dataset.Query), Of(gallery), validationFraction)
            : Build(Of(dataset.Train), Of(dataset.Test), null, validationFraction);
    }

    /// <param name="train">Training-split items (image path, class id).</param>
    /// <param name="testQuery">Test queries (In-Shop "query"), or the whole test split when there is no gallery.</param>
    /// <param name="testGallery">In-Shop "gallery" items, or null for query = reference evaluation.</param>
    public static TrainingSets Build(
        IReadOnlyList<(string Path, string ClassId)> train,
        IReadOnlyList<(string Path, string ClassId)> testQuery,
        IReadOnlyList<(string Path, string ClassId)>? testGallery,
        double validationFraction)
    {
        if (train.Count == 0) throw new InvalidOperationException("the dataset has no training images");
        if (testQuery.Count == 0) throw new InvalidOperationException("the dataset has no test (query) images");
        var heldOut = ValidationSplit.SelectClasses(train.Select(i => i.ClassId), validationFraction);
        var trainItems = train.Where(i => !heldOut.Contains(i.ClassId)).ToList();
        var validationItems = train.Where(i => heldOut.Contains(i.ClassId)).ToList();
        var trainIndex = DenseIndex(trainItems.Select(i => i.ClassId));
        var validationIndex = DenseIndex(validationItems.Select(i => i.ClassId));
        var testIndex = DenseIndex(testQuery.Concat(testGallery ?? []).Select(i => i.ClassId));
        return new TrainingSets(
            Label(trainItems, trainIndex),
            trainIndex.Count,
            Label(validationItems, validationIndex),
            Label(testQuery, testIndex),
            testGallery is null ? null : Label(testGallery, testIndex));
    }

    private static Dictionary<string, int> DenseIndex(IEnumerable<string> classIds) =>
        classIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index, StringComparer.Ordinal);

    private static List<LabeledImage> Label(IEnumerable<(string Path, string ClassId)> items, Dictionary<string, int> index) =>
        items.Select(i => new LabeledImage(i.Path, index[i.ClassId])).ToList();
}
