using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class CosFaceLossTests
{
    [Fact]
    public void ValueAndGradientsMatchTheFormulaWithAbsentClasses()
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];
        var e = LossCheck.RandomUnitRows(new Random(51), labels.Length, 5);
        LossCheck.AssertMatchesFormula(new CosFaceLoss(7, 5, new() { MarginCosine = 0.35, Scale = 4 }), e, labels, (x, w) => LossFormulas.CosFace(x, w!, labels, 0.35, 4));
    }

    [Fact]
    public void HandComputedSingleSampleAndDefaultScaleStaysFinite()
    {
        using var scope = NewDisposeScope();
        // w_0 = (1,0), w_1 = (0,1); e = (1,0) of class 0; m 0.35, s 1: logits (1 - 0.35, 0) -> CE = log(1 + e^-0.65) = 0.420055336
        Assert.Equal(0.420055336, LossCheck.SingleSample(new CosFaceLoss(2, 2, new() { MarginCosine = 0.35, Scale = 1 }), [[1, 0], [0, 1]], [1, 0], 0), 8);
        var e = LossCheck.ToTensor(LossCheck.RandomUnitRows(new Random(52), 4, 3), ScalarType.Float32);
        Assert.True(double.IsFinite(new CosFaceLoss(3, 3).forward(e, tensor(new long[] { 1, 1, 1, 1 })).item<float>()));
    }
}
