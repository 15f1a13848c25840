using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>CosFace: L = mean_i CE(s (cos_i - m 1[c = y_i]), y_i), defaults m = 0.35, s = 64.</summary>
public sealed class CosFaceLoss(int numClasses, int embeddingSize, CosFaceSettings? settings = null)
    : ClassWeightSoftmaxLoss<CosFaceSettings>("CosFaceLoss", numClasses, embeddingSize, settings)
{

    protected override Tensor Logits(Tensor cosine, Tensor labels) =>
        Settings.Scale * (cosine - Settings.MarginCosine * nn.functional.one_hot(labels, NumClasses).to_type(cosine.dtype));
}
