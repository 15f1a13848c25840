using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class ArcFaceLossTests
{
    [Theory]
    [InlineData(28.6)]
    [InlineData(100)] // large margin: some target angles exceed 180 - m and take the cos(theta) - m sin(m) branch
    public void ValueAndGradientsMatchTheFormulaWithAbsentClasses(double degrees)
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];
        var e = LossCheck.RandomUnitRows(new Random(71), labels.Length, 5);
        LossCheck.AssertMatchesFormula(new ArcFaceLoss(7, 5, new() { MarginDegrees = degrees, Scale = 3 }), e, labels, (x, w) => LossFormulas.ArcFace(x, w!, labels, degrees, 3));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        // w_0 = (1,0), w_1 = (0,1); e = (0.6,0.8) of class 1; m 30 deg, s 2.
        // theta = acos(0.8) = 36.87 deg -> cos(66.87 deg) = 0.392820323; logits (2 * 0.6, 2 * 0.392820323) = (1.2, 0.785640646)
        // CE = log(e^1.2 + e^0.785640646) - 0.785640646 = 0.921636767
        Assert.Equal(0.921636767, LossCheck.SingleSample(new ArcFaceLoss(2, 2, new() { MarginDegrees = 30, Scale = 2 }), [[1, 0], [0, 1]], [0.6, 0.8], 1), 8);
    }
}
