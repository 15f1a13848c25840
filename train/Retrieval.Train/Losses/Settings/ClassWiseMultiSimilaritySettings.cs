namespace Retrieval.Train.Losses;

/// <summary>CWMS settings (the author's defaults alpha 0.01, beta 80, lambda 0.8).</summary>
public sealed record ClassWiseMultiSimilaritySettings() : MultiSimilarityFamilySettings(0.01, 80, 0.8)
{
    protected override string LossName => LossNames.ClassWiseMultiSimilarity;
    protected override IReadOnlyList<LossParameter> DeclaredParameters => ScaleParameters;
    public override MetricLoss Create(int numClasses, int embeddingSize) => new ClassWiseMultiSimilarityLoss(numClasses, this);
}
