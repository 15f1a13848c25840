using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class MeanFieldContrastiveLossTests
{
    private static readonly long[] Labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];

    [Theory]
    [InlineData(0.02, 0.3, 0.0)]
    [InlineData(0.1, 1.2, 0.5)]
    public void ValueAndGradientsMatchTheFormulaWithAbsentClasses(double mp, double mn, double mfWeight)
    {
        var loss = new MeanFieldContrastiveLoss(7, 5, new() { PositiveMarginDistance = mp, NegativeMarginDistance = mn, MeanFieldWeight = mfWeight });
        var e = LossCheck.RandomUnitRows(new Random(11), Labels.Length, 5);
        LossCheck.AssertMatchesFormula(loss, e, Labels, (x, w) => LossFormulas.MeanFieldContrastive(x, w!, Labels, mp, mn, mfWeight));
    }

    [Fact]
    public void OneClassBatchMatchesTheFormula()
    {
        long[] labels = [2, 2, 2, 2];
        var loss = new MeanFieldContrastiveLoss(4, 3, new() { PositiveMarginDistance = 0.02, NegativeMarginDistance = 1.1 });
        var e = LossCheck.RandomUnitRows(new Random(12), 4, 3);
        LossCheck.AssertMatchesFormula(loss, e, labels, (x, w) => LossFormulas.MeanFieldContrastive(x, w!, labels, 0.02, 1.1, 0));
    }

    [Theory]
    [InlineData(0.0, 0.06)]
    [InlineData(1.0, 0.07)]
    public void HandComputedTwoSamples(double mfWeight, double expected)
    {
        using var scope = NewDisposeScope();
        // M_0 = (1,0), M_1 = (0.8,0.6); e_0 = (1,0) class 0, e_1 = (0.6,0.8) class 1; m_p 0.02, m_n 0.3.
        // d_00 = 0, d_01 = 0.2, d_10 = 0.4, d_11 = 1 - 0.96 = 0.04.
        // sample 0: [0 - 0.02]+ + [0.3 - 0.2]+ = 0.1 ; sample 1: [0.04 - 0.02]+ + [0.3 - 0.4]+ = 0.02 ; mean 0.06.
        // regulariser: M_0.M_1 = 0.8 -> [0.3 - 0.2]+^2 = 0.01 for each ordered pair; (0.01 + 0.01) / 2 classes = 0.01.
        var loss = new MeanFieldContrastiveLoss(2, 2, new() { PositiveMarginDistance = 0.02, NegativeMarginDistance = 0.3, MeanFieldWeight = mfWeight });
        LossCheck.SetParameter(loss.to(ScalarType.Float64), [[1, 0.8], [0, 0.6]]);
        var e = tensor(new[] { 1.0, 0.0, 0.6, 0.8 }).view(2, 2);
        Assert.Equal(expected, loss.forward(e, tensor(new long[] { 0, 1 })).item<double>(), 12);
    }
}
