namespace Retrieval.Train.Losses;

/// <summary>Contrastive loss (PML) settings: margins on the Euclidean distance ||e_i - e_j||.</summary>
public sealed record ContrastiveSettings : ContrastiveFamilySettings
{
    protected override string LossName => LossNames.Contrastive;
    protected override IReadOnlyList<LossParameter> DeclaredParameters => MarginParameters;
    public override MetricLoss Create(int numClasses, int embeddingSize) => new ContrastiveLoss(numClasses, this);
}
