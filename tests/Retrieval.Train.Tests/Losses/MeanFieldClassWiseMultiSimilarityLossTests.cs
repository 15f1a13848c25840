using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class MeanFieldClassWiseMultiSimilarityLossTests
{
    // Classes 3, 5 and 6 of the 7 are absent from the batch.
    private static readonly long[] Labels = [0, 0, 1, 1, 1, 2, 4, 4, 0];

    [Theory]
    [InlineData(0.01, 80, 0.8, 0.0)]
    [InlineData(2.0, 10, 0.5, 0.7)]
    public void ValueAndGradientsMatchTheClassPairFormulaWithAbsentClasses(double alpha, double beta, double lam, double mfWeight)
    {
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(7, 5, new() { PositiveScale = alpha, NegativeScale = beta, OffsetCosine = lam, MeanFieldWeight = mfWeight });
        var e = LossCheck.RandomUnitRows(new Random(1), Labels.Length, 5);
        LossCheck.AssertMatchesFormula(loss, e, Labels,
            (x, w) => LossFormulas.MeanFieldClassWiseMultiSimilarity(x, w!, Labels, alpha, beta, lam, mfWeight));
    }

    [Fact]
    public void OneClassBatchStillPushesAwayTheOtherClassesMeanFields()
    {
        long[] labels = [3, 3, 3];
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(5, 4, new() { PositiveScale = 0.5, NegativeScale = 20, OffsetCosine = 0.5 });
        var e = LossCheck.RandomUnitRows(new Random(2), 3, 4);
        LossCheck.AssertMatchesFormula(loss, e, labels,
            (x, w) => LossFormulas.MeanFieldClassWiseMultiSimilarity(x, w!, labels, 0.5, 20, 0.5, 0));
    }

    [Fact]
    public void HandComputedSingleSample()
    {
        using var scope = NewDisposeScope();
        // M_0 = (1,0), M_1 = (0,1); one sample e = (1,0) of class 0; alpha 1, beta 2, lam 0.5.
        // positive: log(1 + exp(-1 (1 - 0.5))) / (1 * 1)                   = log(1 + e^-0.5)     = 0.474076984
        // negative (pair {0,1}, class 1 absent): log(1 + exp(2 (0 - 0.5))) / (2 * 1) = log(1 + e^-1) / 2 = 0.156630844
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(2, 2, new() { PositiveScale = 1, NegativeScale = 2, OffsetCosine = 0.5 });
        Assert.Equal(0.474076984 + 0.156630844, LossCheck.SingleSample(loss, [[1, 0], [0, 1]], [1, 0], 0), 8);
    }

    [Fact]
    public void LargeAlphaAndBetaStayFiniteInFloat32AndMatchTheFormula()
    {
        using var scope = NewDisposeScope();
        // beta (s - lam) reaches 500 * 1.8 = 900: exp overflows float32 (and float64) without log-sum-exp.
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(7, 5, new() { PositiveScale = 200, NegativeScale = 500, OffsetCosine = -0.8 });
        var e = LossCheck.RandomUnitRows(new Random(3), Labels.Length, 5);
        var input = LossCheck.ToTensor(e, ScalarType.Float32).requires_grad_(true);
        var value = loss.forward(input, tensor(Labels));
        value.backward();
        Assert.True(double.IsFinite(value.item<float>()));
        Assert.True(isfinite(input.grad!).all().item<bool>() && isfinite(loss.Means.grad!).all().item<bool>());
        var reference = new MeanFieldClassWiseMultiSimilarityLoss(7, 5, new() { PositiveScale = 200, NegativeScale = 500, OffsetCosine = -0.8 }).to(ScalarType.Float64);
        using (no_grad()) reference.Means.copy_(loss.Means.to_type(ScalarType.Float64));
        var exact = reference.forward(LossCheck.ToTensor(e), tensor(Labels)).item<double>();
        Assert.Equal(exact, value.item<float>(), exact * 1e-4);
    }

    [Fact]
    public void RegulariserIsSkippedAtWeightZeroAndAddsItsTermOtherwise()
    {
        using var scope = NewDisposeScope();
        var e = LossCheck.ToTensor(LossCheck.RandomUnitRows(new Random(4), Labels.Length, 5));
        var plain = new MeanFieldClassWiseMultiSimilarityLoss(7, 5, new() { PositiveScale = 0.5, NegativeScale = 10, OffsetCosine = 0.2 }).to(ScalarType.Float64);
        var regularised = new MeanFieldClassWiseMultiSimilarityLoss(7, 5, new() { PositiveScale = 0.5, NegativeScale = 10, OffsetCosine = 0.2, MeanFieldWeight = 1 }).to(ScalarType.Float64);
        using (no_grad()) regularised.Means.copy_(plain.Means);
        var w = LossCheck.ToRows(plain.Means);
        var regulariser = LossFormulas.MeanFieldClassWiseMultiSimilarity(LossCheck.ToRows(e), w, Labels, 0.5, 10, 0.2, 1)
                          - LossFormulas.MeanFieldClassWiseMultiSimilarity(LossCheck.ToRows(e), w, Labels, 0.5, 10, 0.2, 0);
        Assert.True(regulariser > 0);
        var difference = regularised.forward(e, tensor(Labels)).item<double>() - plain.forward(e, tensor(Labels)).item<double>();
        Assert.Equal(regulariser, difference, 9);
    }

    [Fact]
    public void EqualsTheReferenceCodesDenseClassByClassFormulation()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(9);
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(40, 6).to(ScalarType.Float64);
        var labels = tensor(Enumerable.Range(0, 12).Select(i => (long)(3 * (i / 3) + 1)).ToArray());
        var e = LossCheck.ToTensor(LossCheck.RandomUnitRows(new Random(6), 12, 6));
        var dense = DenseMeanFieldClassWiseMultiSimilarity.Compute(e, labels, loss.Means, new MeanFieldClassWiseMultiSimilaritySettings { PositiveScale = 0.01, NegativeScale = 80, OffsetCosine = 0.8 }).item<double>();
        Assert.Equal(dense, loss.forward(e, labels).item<double>(), 10);
    }
}
