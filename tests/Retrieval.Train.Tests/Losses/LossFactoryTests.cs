using Retrieval.Train.Losses;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class LossFactoryTests
{
    [Fact]
    public void CreatesEveryNamedLossWithThePaperDefaults()
    {
        foreach (var name in LossFactory.Names)
            Assert.Equal(name is "cwms" or "contrastive" or "ms" ? 0 : 1, LossFactory.Create(name, 5, 4, LossOptions.Defaults).LossParameters.Count);
        var mfcwms = Assert.IsType<MeanFieldClassWiseMultiSimilarityLoss>(LossFactory.Create("MFCWMS", 5, 4, LossOptions.Defaults));
        Assert.Equal((0.01, 80.0, 0.8, 0.0), (mfcwms.Alpha, mfcwms.Beta, mfcwms.Lambda, mfcwms.MeanFieldWeight));
        var contrastive = Assert.IsType<ContrastiveLoss>(LossFactory.Create("contrastive", 5, 4, LossOptions.Defaults));
        Assert.Equal((0.02, 0.3), (contrastive.PositiveMargin, contrastive.NegativeMargin));
        var anchor = Assert.IsType<ProxyAnchorLoss>(LossFactory.Create("proxyanchor", 5, 4, LossOptions.Defaults));
        Assert.Equal((0.1, 32.0), (anchor.Delta, anchor.Alpha));
        Assert.Equal([4L, 5L], anchor.Proxies.shape.Reverse());
        var ms = Assert.IsType<MultiSimilarityLoss>(LossFactory.Create("ms", 5, 4, LossOptions.Defaults));
        Assert.Equal((2.0, 50.0, 0.5, 0.1), (ms.Alpha, ms.Beta, ms.Base, ms.Epsilon));
        var arcface = Assert.IsType<ArcFaceLoss>(LossFactory.Create("arcface", 5, 4, LossOptions.Defaults));
        Assert.Equal((28.6, 64.0), (arcface.Margin, arcface.Scale));
        var cosface = Assert.IsType<CosFaceLoss>(LossFactory.Create("cosface", 5, 4, LossOptions.Defaults));
        Assert.Equal((0.35, 64.0), (cosface.Margin, cosface.Scale));
        Assert.Equal(32.0, Assert.IsType<ProxyNcaLoss>(LossFactory.Create("proxynca", 5, 4, LossOptions.Defaults)).Scale);
        Assert.Equal(0.05, Assert.IsType<NormalizedSoftmaxLoss>(LossFactory.Create("normsoftmax", 5, 4, LossOptions.Defaults)).Temperature);
    }

    [Fact]
    public void OptionsOverrideDefaultsAndForeignOrUnknownNamesAreErrors()
    {
        var loss = Assert.IsType<MeanFieldContrastiveLoss>(LossFactory.Create("mfcont", 5, 4,
            new LossOptions(new Dictionary<string, double> { ["neg-margin"] = 0.5, ["mf-weight"] = 0.1 })));
        Assert.Equal((0.02, 0.5, 0.1), (loss.PositiveMargin, loss.NegativeMargin, loss.MeanFieldWeight));
        var foreign = Assert.Throws<ArgumentException>(() => LossFactory.Create("contrastive", 5, 4, new LossOptions(new Dictionary<string, double> { ["alpha"] = 1 })));
        Assert.Contains("no parameter alpha; it takes pos-margin, neg-margin", foreign.Message);
        Assert.Contains("unknown loss 'triplet'", Assert.Throws<ArgumentException>(() => LossFactory.Create("triplet", 5, 4, LossOptions.Defaults)).Message);
    }
}
