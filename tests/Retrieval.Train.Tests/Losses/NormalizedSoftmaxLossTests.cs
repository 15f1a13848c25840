using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class NormalizedSoftmaxLossTests
{
    [Fact]
    public void ValueAndGradientsMatchTheFormulaOnAOneClassBatch()
    {
        long[] labels = [3, 3, 3];
        var e = LossCheck.RandomUnitRows(new Random(61), labels.Length, 4);
        LossCheck.AssertMatchesFormula(new NormalizedSoftmaxLoss(5, 4, new() { TemperatureCosine = 0.25 }), e, labels, (x, w) => LossFormulas.NormalizedSoftmax(x, w!, labels, 0.25));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        // w_0 = (1,0), w_1 = (0,1); e = (1,0) of class 0; T 0.5: logits (2, 0) -> CE = log(1 + e^-2) = 0.126928011
        Assert.Equal(0.126928011, LossCheck.SingleSample(new NormalizedSoftmaxLoss(2, 2, new() { TemperatureCosine = 0.5 }), [[1, 0], [0, 1]], [1, 0], 0), 8);
    }
}
