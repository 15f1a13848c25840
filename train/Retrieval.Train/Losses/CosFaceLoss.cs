using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>CosFace: L = mean_i CE(s (cos_i - m 1[c = y_i]), y_i), defaults m = 0.35, s = 64.</summary>
public sealed class CosFaceLoss : ClassWeightSoftmaxLoss
{
    public CosFaceLoss(int numClasses, int embeddingSize, double margin = 0.35, double scale = 64)
        : base("CosFaceLoss", numClasses, embeddingSize)
    {
        Margin = Finite(margin, "margin");
        Scale = Positive(scale, "scale");
        RegisterComponents();
    }

    /// <summary>m, subtracted from the target cosine.</summary>
    public double Margin { get; }

    /// <summary>s, the logit scale.</summary>
    public double Scale { get; }

    protected override Tensor Logits(Tensor cosine, Tensor labels) =>
        Scale * (cosine - Margin * nn.functional.one_hot(labels, NumClasses).to_type(cosine.dtype));
}
