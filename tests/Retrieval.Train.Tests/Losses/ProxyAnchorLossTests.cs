using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class ProxyAnchorLossTests
{
    [Theory]
    [InlineData(0.1, 32)]
    [InlineData(0.3, 4)]
    public void ValueAndGradientsMatchTheFormulaWithAbsentClasses(double delta, double alpha)
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];
        var e = LossCheck.RandomUnitRows(new Random(41), labels.Length, 5);
        LossCheck.AssertMatchesFormula(new ProxyAnchorLoss(7, 5, new() { MarginCosine = delta, Scale = alpha }), e, labels,
            (x, p) => LossFormulas.ProxyAnchor(x, p!, labels, delta, alpha));
    }

    [Fact]
    public void OneClassBatchMatchesTheFormula()
    {
        long[] labels = [0, 0];
        var e = LossCheck.RandomUnitRows(new Random(42), 2, 3);
        LossCheck.AssertMatchesFormula(new ProxyAnchorLoss(3, 3), e, labels, (x, p) => LossFormulas.ProxyAnchor(x, p!, labels, 0.1, 32));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        using var scope = NewDisposeScope();
        // proxies p_0 = (1,0), p_1 = (0,1); e = (1,0) of class 0; alpha 1, delta 0.1.
        // positive (1 class with positives): log(1 + exp(-(1 - 0.1))) = 0.341153875
        // negative: class 0 has none -> 0; class 1: log(1 + exp(0 + 0.1)) = 0.744396660; / 2 classes = 0.372198330
        var loss = new ProxyAnchorLoss(2, 2, new() { MarginCosine = 0.1, Scale = 1 });
        Assert.Equal(0.341153875 + 0.372198330, LossCheck.SingleSample(loss, [[1, 0], [0, 1]], [1, 0], 0), 8);
    }
}
