using Retrieval.Train.Losses;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class ClassWiseMultiSimilarityLossTests
{
    private static readonly long[] Labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];

    [Theory]
    [InlineData(0.01, 80, 0.8)]
    [InlineData(2.0, 10, 0.5)]
    public void ValueAndGradientMatchTheClassPairFormula(double alpha, double beta, double lam)
    {
        var e = LossCheck.RandomUnitRows(new Random(21), Labels.Length, 5);
        LossCheck.AssertMatchesFormula(new ClassWiseMultiSimilarityLoss(7, new() { PositiveScale = alpha, NegativeScale = beta, OffsetCosine = lam }), e, Labels,
            (x, _) => LossFormulas.ClassWiseMultiSimilarity(x, Labels, alpha, beta, lam));
    }

    [Fact]
    public void HandComputedOneClassBatchHasOnlyThePositiveTerm()
    {
        using var scope = NewDisposeScope();
        // e_0 = (1,0), e_1 = (0.6,0.8), both class 0; alpha 1, lam 0.5. S_00 = S_11 = 1, S_01 = S_10 = 0.6.
        // sum_ij exp(-(S_ij - 0.5)) = 2 e^-0.5 + 2 e^-0.1 = 1.213061319 + 1.809674836 = 3.022736155
        // log(1 + 3.022736155 / (2 * 2^2)) / (1 * 1) = log(1.377842019) = 0.320518521 ; no class pair -> no negative term.
        var loss = new ClassWiseMultiSimilarityLoss(3, new() { PositiveScale = 1, NegativeScale = 50, OffsetCosine = 0.5 });
        var value = loss.forward(tensor(new[] { 1.0, 0.0, 0.6, 0.8 }).view(2, 2), tensor(new long[] { 1, 1 })).item<double>();
        Assert.Equal(0.320518521, value, 8);
    }

    [Fact]
    public void LargeAlphaAndBetaStayFiniteInFloat32()
    {
        using var scope = NewDisposeScope();
        var e = LossCheck.RandomUnitRows(new Random(22), Labels.Length, 5);
        var input = LossCheck.ToTensor(e, ScalarType.Float32).requires_grad_(true);
        var value = new ClassWiseMultiSimilarityLoss(7, new() { PositiveScale = 200, NegativeScale = 500, OffsetCosine = -0.8 }).forward(input, tensor(Labels));
        value.backward();
        var exact = new ClassWiseMultiSimilarityLoss(7, new() { PositiveScale = 200, NegativeScale = 500, OffsetCosine = -0.8 }).forward(LossCheck.ToTensor(e), tensor(Labels)).item<double>();
        Assert.True(isfinite(input.grad!).all().item<bool>());
        Assert.Equal(exact, value.item<float>(), exact * 1e-4);
    }
}
