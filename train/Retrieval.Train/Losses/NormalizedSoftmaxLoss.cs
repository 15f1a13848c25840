using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>Normalized softmax: L = mean_i CE(cos_i / T, y_i), T the temperature (PML default 0.05).</summary>
public sealed class NormalizedSoftmaxLoss(int numClasses, int embeddingSize, NormalizedSoftmaxSettings? settings = null)
    : ClassWeightSoftmaxLoss<NormalizedSoftmaxSettings>("NormalizedSoftmaxLoss", numClasses, embeddingSize, settings)
{

    protected override Tensor Logits(Tensor cosine, Tensor labels) => cosine / Settings.TemperatureCosine;
}
