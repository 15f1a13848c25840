using Retrieval.Train.Losses;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class MetricLossValidationTests
{
    private static Tensor Unit(int n, int d) => LossCheck.ToTensor(LossCheck.RandomUnitRows(new Random(5), n, d), ScalarType.Float32);

    [Fact]
    public void RejectsBadInputWithAMessageNamingTheProblem()
    {
        using var scope = NewDisposeScope();
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(4, 3);
        Assert.Contains("[batch, dim]", Assert.Throws<ArgumentException>(() => loss.forward(zeros(3), tensor(new long[] { 0, 1, 2 }))).Message);
        Assert.Contains("3 embeddings but 2 labels", Assert.Throws<ArgumentException>(() => loss.forward(Unit(3, 3), tensor(new long[] { 0, 1 }))).Message);
        Assert.Contains("int64", Assert.Throws<ArgumentException>(() => loss.forward(Unit(2, 3), tensor(new[] { 0, 1 }))).Message);
        Assert.Contains("0..3, found 4", Assert.Throws<ArgumentException>(() => loss.forward(Unit(2, 3), tensor(new long[] { 0, 4 }))).Message);
        Assert.Contains("found -1", Assert.Throws<ArgumentException>(() => loss.forward(Unit(2, 3), tensor(new long[] { -1, 0 }))).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => loss.forward(zeros(0, 3), zeros(0, dtype: ScalarType.Int64))).Message);
        var nan = Unit(3, 3);
        nan[1, 2] = tensor(float.NaN);
        Assert.Contains("row 1 has a NaN", Assert.Throws<ArgumentException>(() => loss.forward(nan, tensor(new long[] { 0, 1, 2 }))).Message);
        var unnormalised = Unit(3, 3);
        unnormalised[2] *= 2;
        Assert.Contains("row 2 has norm 2", Assert.Throws<ArgumentException>(() => loss.forward(unnormalised, tensor(new long[] { 0, 1, 2 }))).Message);
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => loss.forward(Unit(2, 3).to_type(ScalarType.Float64), tensor(new long[] { 0, 1 }))).Message);
    }

    [Fact]
    public void WithValueChecksOffOnlyShapesAndTypesAreChecked()
    {
        using var scope = NewDisposeScope();
        var loss = new MeanFieldClassWiseMultiSimilarityLoss(4, 3) { CheckValues = false };
        var nan = Unit(3, 3);
        nan[1, 2] = tensor(float.NaN);
        Assert.True(float.IsNaN(loss.forward(nan, tensor(new long[] { 0, 1, 2 })).item<float>()));
        Assert.Contains("3 embeddings but 2 labels", Assert.Throws<ArgumentException>(() => loss.forward(Unit(3, 3), tensor(new long[] { 0, 1 }))).Message);
        loss.CheckValues = true;
        Assert.Contains("row 1 has a NaN", Assert.Throws<ArgumentException>(() => loss.forward(nan, tensor(new long[] { 0, 1, 2 }))).Message);
    }

    [Fact]
    public void RejectsBadHyperParameters()
    {
        Assert.Contains("beta", Assert.Throws<ArgumentException>(() => new MeanFieldClassWiseMultiSimilarityLoss(3, 2, new() { NegativeScale = 0 })).Message);
        Assert.Contains("alpha", Assert.Throws<ArgumentException>(() => new ClassWiseMultiSimilarityLoss(3, new() { PositiveScale = double.NaN })).Message);
        Assert.Contains("mf-weight", Assert.Throws<ArgumentException>(() => new MeanFieldContrastiveLoss(3, 2, new() { MeanFieldWeight = -1 })).Message);
        Assert.Contains("at least 1", Assert.Throws<ArgumentException>(() => new ContrastiveLoss(0)).Message);
    }
}
