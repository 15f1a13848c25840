using Retrieval.Study.Heads;

namespace Retrieval.Study.Results;

/// <summary>The modern (MLRC, frozen features) part's results: setting, the raw features' own test score, and every loss.</summary>
public sealed record ModernResult(string Dataset, string Extractor, int Folds, int EmbeddingSize, int Trials, HeadSchedule Head, double RegulariserWeight,
    int TrainImages, int TrainClasses, int QueryImages, int GalleryImages, MetricTriple RawFeatures, IReadOnlyList<LossStudy> Losses);
