using Retrieval.Train.Losses;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class ContrastiveLossTests
{
    [Theory]
    [InlineData(0.02, 0.3)]
    [InlineData(0.5, 1.3)]
    public void ValueAndGradientMatchThePairFormula(double mp, double mn)
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];
        var e = LossCheck.RandomUnitRows(new Random(31), labels.Length, 3);
        LossCheck.AssertMatchesFormula(new ContrastiveLoss(7, new() { PositiveMarginDistance = mp, NegativeMarginDistance = mn }), e, labels, (x, _) => LossFormulas.Contrastive(x, labels, mp, mn));
    }

    [Fact]
    public void HandComputedAveragesOnlyNonZeroPairs()
    {
        using var scope = NewDisposeScope();
        // e_0 = (1,0), e_1 = (0.6,0.8) class 0; e_2 = (0,1) class 1; m_p 0.02, m_n 1.
        // d_01 = sqrt(0.8) = 0.894427191 -> positive pairs (0,1),(1,0): 0.874427191 each -> mean 0.874427191
        // d_02 = sqrt(2) -> [1 - 1.414]+ = 0 ; d_12 = sqrt(0.4) = 0.632455532 -> 0.367544468 for (1,2),(2,1)
        // negatives: 4 pairs, 2 non-zero -> 2 * 0.367544468 / 2 = 0.367544468 ; total 1.241971659
        var loss = new ContrastiveLoss(2, new() { PositiveMarginDistance = 0.02, NegativeMarginDistance = 1 });
        var value = loss.forward(tensor(new[] { 1.0, 0.0, 0.6, 0.8, 0.0, 1.0 }).view(3, 2), tensor(new long[] { 0, 0, 1 })).item<double>();
        Assert.Equal(1.241971659, value, 8);
    }

    [Fact]
    public void OneClassBatchHasOnlyPositivePairsAndAFiniteGradient()
    {
        long[] labels = [1, 1, 1];
        var e = LossCheck.RandomUnitRows(new Random(32), 3, 4);
        LossCheck.AssertMatchesFormula(new ContrastiveLoss(2), e, labels, (x, _) => LossFormulas.Contrastive(x, labels, 0.02, 0.3));
    }

    [Fact]
    public void AtMostOnePairOfEachKindGivesZeroWithAGradient()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new[] { 1.0, 0.0, 0.0, 1.0 }).view(2, 2).requires_grad_(true);
        var value = new ContrastiveLoss(2).forward(input, tensor(new long[] { 0, 1 }));
        value.backward();
        Assert.Equal(0.0, value.item<double>());
        Assert.Equal(0.0, input.grad!.abs().sum().item<double>());
    }
}
