using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>Normalized softmax: L = mean_i CE(cos_i / T, y_i), T the temperature (PML default 0.05).</summary>
public sealed class NormalizedSoftmaxLoss : ClassWeightSoftmaxLoss
{
    public NormalizedSoftmaxLoss(int numClasses, int embeddingSize, double temperature = 0.05)
        : base("NormalizedSoftmaxLoss", numClasses, embeddingSize)
    {
        Temperature = Positive(temperature, "temperature");
        RegisterComponents();
    }

    /// <summary>T, the softmax temperature.</summary>
    public double Temperature { get; }

    protected override Tensor Logits(Tensor cosine, Tensor labels) => cosine / Temperature;
}
