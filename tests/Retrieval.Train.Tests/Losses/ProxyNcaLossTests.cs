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
        LossCheck.AssertMatchesFormula(new ProxyNcaLoss(7, 5, 3), e, labels, (x, p) => LossFormulas.ProxyNca(x, p!, labels, 3));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        using var scope = NewDisposeScope();
        // proxies (1,0), (0,1); e = (1,0) of class 0; s 1: distances^2 (0, 2) -> logits (0, -2) -> CE = log(1 + e^-2) = 0.126928011
        var loss = new ProxyNcaLoss(2, 2, 1);
        LossCheck.SetParameter(loss.to(ScalarType.Float64), [[1, 0], [0, 1]]);
        Assert.Equal(0.126928011, loss.forward(tensor(new[] { 1.0, 0.0 }).view(1, 2), tensor(new long[] { 0 })).item<double>(), 8);
    }
}
