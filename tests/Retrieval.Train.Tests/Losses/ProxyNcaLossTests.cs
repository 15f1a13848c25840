using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class ProxyNcaLossTests
{
    [Fact]
    public void ValueAndGradientsMatchTheFormulaWithAbsentClasses()
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];
        var e = LossCheck.RandomUnitRows(new Random(81), labels.Length, 5);
        LossCheck.AssertMatchesFormula(new ProxyNcaLoss(7, 5, new() { SoftmaxScale = 3 }), e, labels, (x, p) => LossFormulas.ProxyNca(x, p!, labels, 3));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        // proxies (1,0), (0,1); e = (1,0) of class 0; s 1: distances^2 (0, 2) -> logits (0, -2) -> CE = log(1 + e^-2) = 0.126928011
        Assert.Equal(0.126928011, LossCheck.SingleSample(new ProxyNcaLoss(2, 2, new() { SoftmaxScale = 1 }), [[1, 0], [0, 1]], [1, 0], 0), 8);
    }
}
