using Retrieval.Study.Features;

namespace Retrieval.Study.Folds;

/// <summary>
/// One fold of the class-disjoint cross-validation: the training rows of the other folds (dense labels 0..C-1, the
/// loss's classes) and the rows of this fold for validation (query = reference, self excluded).
/// </summary>
public sealed record FoldData(int Fold, LabeledFeatures Train, int[] TrainLabels, int TrainClasses, LabeledFeatures Validation, int[] ValidationLabels)
{
    /// <summary>Every fold of <paramref name="train"/> under <paramref name="folds"/>-fold class-disjoint cross-validation.</summary>
    public static IReadOnlyList<FoldData> Split(LabeledFeatures train, int folds)
    {
        var assignment = ClassFolds.Assign(train.ClassIds, folds);
        return Enumerable.Range(0, folds).Select(k =>
        {
            var trainRows = Enumerable.Range(0, train.Count).Where(r => assignment[train.ClassIds[r]] != k).ToList();
            var validationRows = Enumerable.Range(0, train.Count).Where(r => assignment[train.ClassIds[r]] == k).ToList();
            var trainPart = train.Select(trainRows);
            var validationPart = train.Select(validationRows);
            var labels = trainPart.DenseLabels();
            return new FoldData(k, trainPart, labels, labels.Length == 0 ? 0 : labels.Max() + 1, validationPart, validationPart.DenseLabels());
        }).ToList();
    }
}
