using Retrieval.Train.Losses;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class MultiSimilarityLossTests
{
    [Theory]
    [InlineData(2, 50, 0.5, 0.1)]
    [InlineData(1, 5, 0.2, 0.3)]
    public void ValueAndGradientMatchTheMinedPairFormula(double alpha, double beta, double baseSimilarity, double eps)
    {
        long[] labels = [0, 0, 1, 1, 1, 2, 4, 4, 0, 2];
        var e = LossCheck.RandomUnitRows(new Random(91), labels.Length, 3);
        LossCheck.AssertMatchesFormula(new MultiSimilarityLoss(7, new() { PositiveScale = alpha, NegativeScale = beta, OffsetCosine = baseSimilarity, MinerMarginCosine = eps }), e, labels,
            (x, _) => LossFormulas.MultiSimilarity(x, labels, alpha, beta, baseSimilarity, eps));
    }

    // e_0 = (1,0), e_1 = (0.6,0.8) class 0; e_2 = (0,1), e_3 = (0.8,0.6) class 1.
    // S_01 = 0.6, S_02 = 0, S_03 = 0.8, S_12 = 0.8, S_13 = 0.96, S_23 = 0.6.
    private static readonly double[] Four = [1, 0, 0.6, 0.8, 0, 1, 0.8, 0.6];

    [Fact]
    public void MinerKeepsPairsWithinEpsilonOfTheHardestOppositePair()
    {
        using var scope = NewDisposeScope();
        // anchor 0: hardest negative 0.8 -> positive 1 kept (0.6 - 0.1 < 0.8); negatives need S + 0.1 > 0.6: 3 kept, 2 not.
        // anchor 1: hardest negative 0.96 -> positive kept; negatives 0.9 and 1.06 > 0.6: both kept.
        // anchor 2: hardest negative 0.8 -> positive 3 kept; negative 0 (0.1) not, 1 (0.9) kept. anchor 3: like anchor 1.
        var e = tensor(Four).view(4, 2);
        var (positive, negative) = new MultiSimilarityMiner(0.1).Mine(e.matmul(e.t()), tensor(new long[] { 0, 0, 1, 1 }));
        Assert.Equal(new[] { false, true, false, false, true, false, false, false, false, false, false, true, false, false, true, false },
            positive.flatten().data<bool>().ToArray());
        Assert.Equal(new[] { false, false, false, true, false, false, true, true, false, true, false, false, true, true, false, false },
            negative.flatten().data<bool>().ToArray());
    }

    [Fact]
    public void HandComputedFourSamples()
    {
        using var scope = NewDisposeScope();
        // alpha 2, beta 50, base 0.5. Every anchor's positive term: log(1 + e^{-2 (0.6 - 0.5)}) / 2 = 0.299069435
        // negatives: anchors 0 and 2 (one pair at 0.8): log(1 + e^15) / 50 = 0.300000006
        //            anchors 1 and 3 (0.8 and 0.96): log(1 + e^15 + e^23) / 50 = 0.460006708
        // mean over 4 anchors: (4 * 0.299069435 + 2 * 0.300000006 + 2 * 0.460006708) / 4 = 0.679072792
        var value = new MultiSimilarityLoss(2).forward(tensor(Four).view(4, 2), tensor(new long[] { 0, 0, 1, 1 })).item<double>();
        Assert.Equal(0.679072792, value, 8);
    }

    [Fact]
    public void OneClassBatchHasNoNegativesSoNothingIsMinedAndTheLossIsZero()
    {
        using var scope = NewDisposeScope();
        var input = LossCheck.ToTensor(LossCheck.RandomUnitRows(new Random(92), 4, 3)).requires_grad_(true);
        var value = new MultiSimilarityLoss(3).forward(input, tensor(new long[] { 2, 2, 2, 2 }));
        value.backward();
        Assert.Equal(0.0, value.item<double>());
        Assert.Equal(0.0, input.grad!.abs().sum().item<double>());
    }
}
