namespace Retrieval.Train.Losses;

/// <summary>Base of the additive-margin softmax losses (CosFace, ArcFace): a margin on the target class and a logit scale.</summary>
public abstract class MarginSoftmaxLoss : ClassWeightSoftmaxLoss
{
    protected MarginSoftmaxLoss(string name, int numClasses, int embeddingSize, double margin, double scale)
        : base(name, numClasses, embeddingSize)
    {
        Margin = Finite(margin, "margin");
        Scale = Positive(scale, "scale");
        RegisterComponents();
    }

    /// <summary>m, the target-class margin (CosFace: in cosine units; ArcFace: in degrees).</summary>
    public double Margin { get; }

    /// <summary>s, the logit scale.</summary>
    public double Scale { get; }
}
