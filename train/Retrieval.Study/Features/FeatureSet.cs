namespace Retrieval.Study.Features;

/// <summary>
/// The frozen backbone features of a data set: the training split (cross-validated) and the test split — queries
/// against a separate gallery (In-Shop layout), or, when <see cref="Gallery"/> is null, the test split against
/// itself with each query's own row excluded (CUB, SOP).
/// </summary>
public sealed record FeatureSet(string DatasetName, string Extractor, LabeledFeatures Train, LabeledFeatures Query, LabeledFeatures? Gallery)
{
    /// <summary>Feature dimension (the backbone's pooled channels).</summary>
    public int Dimension => Train.Dimension;
}
