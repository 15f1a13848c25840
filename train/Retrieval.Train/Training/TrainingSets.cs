namespace Retrieval.Train.Training;

/// <summary>
/// The four sets a run uses: training items (labels 0..TrainClasses-1, the loss's classes), the
/// class-disjoint validation items (query = reference, self excluded), and the test queries and
/// gallery (In-Shop layout; <see cref="TestGallery"/> null means query = reference).
/// </summary>
public sealed record TrainingSets(
    IReadOnlyList<LabeledImage> Train,
    int TrainClasses,
    IReadOnlyList<LabeledImage> Validation,
    IReadOnlyList<LabeledImage> TestQuery,
    IReadOnlyList<LabeledImage>? TestGallery);
