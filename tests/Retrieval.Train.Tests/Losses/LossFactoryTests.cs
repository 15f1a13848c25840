using Retrieval.Core.IO;
using System.Text.Json;
using Retrieval.Train.Losses;
using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Losses;

[Collection("TorchSharp")]
public sealed class LossFactoryTests
{
    [Fact]
    public void CreatesEveryNamedLossWithThePaperDefaults()
    {
        foreach (var name in LossFactory.Names)
            Assert.Equal(name is "cwms" or "contrastive" or "ms" ? 0 : 1, LossFactory.Create(name, 5, 4).LossParameters.Count);
        var mfcwms = Assert.IsType<MeanFieldClassWiseMultiSimilarityLoss>(LossFactory.Create("MFCWMS", 5, 4)).Settings;
        Assert.Equal((0.01, 80.0, 0.8, 0.0), (mfcwms.PositiveScale, mfcwms.NegativeScale, mfcwms.OffsetCosine, mfcwms.MeanFieldWeight));
        var cwms = Assert.IsType<ClassWiseMultiSimilarityLoss>(LossFactory.Create("cwms", 5, 4)).Settings;
        Assert.Equal((0.01, 80.0, 0.8), (cwms.PositiveScale, cwms.NegativeScale, cwms.OffsetCosine));
        var contrastive = Assert.IsType<ContrastiveLoss>(LossFactory.Create("contrastive", 5, 4)).Settings;
        Assert.Equal((0.02, 0.3), (contrastive.PositiveMarginDistance, contrastive.NegativeMarginDistance));
        var mfcont = Assert.IsType<MeanFieldContrastiveLoss>(LossFactory.Create("mfcont", 5, 4)).Settings;
        Assert.Equal((0.02, 0.3, 0.0), (mfcont.PositiveMarginDistance, mfcont.NegativeMarginDistance, mfcont.MeanFieldWeight));
        var anchor = Assert.IsType<ProxyAnchorLoss>(LossFactory.Create("proxyanchor", 5, 4));
        Assert.Equal((0.1, 32.0), (anchor.Settings.MarginCosine, anchor.Settings.Scale));
        Assert.Equal([4L, 5L], anchor.Proxies.shape.Reverse());
        var ms = Assert.IsType<MultiSimilarityLoss>(LossFactory.Create("ms", 5, 4)).Settings;
        Assert.Equal((2.0, 50.0, 0.5, 0.1), (ms.PositiveScale, ms.NegativeScale, ms.OffsetCosine, ms.MinerMarginCosine));
        var arcface = Assert.IsType<ArcFaceLoss>(LossFactory.Create("arcface", 5, 4)).Settings;
        Assert.Equal((28.6, 64.0), (arcface.MarginDegrees, arcface.Scale));
        var cosface = Assert.IsType<CosFaceLoss>(LossFactory.Create("cosface", 5, 4)).Settings;
        Assert.Equal((0.35, 64.0), (cosface.MarginCosine, cosface.Scale));
        Assert.Equal(32.0, Assert.IsType<ProxyNcaLoss>(LossFactory.Create("proxynca", 5, 4)).Settings.SoftmaxScale);
        Assert.Equal(0.05, Assert.IsType<NormalizedSoftmaxLoss>(LossFactory.Create("normsoftmax", 5, 4)).Settings.TemperatureCosine);
    }

    [Fact]
    public void OptionsOverrideDefaultsAndForeignOrUnknownNamesAreErrors()
    {
        var settings = LossFactory.Defaults("mfcont").With(new Dictionary<string, double> { ["neg-margin"] = 0.5, ["MF-weight"] = 0.1 });
        var loss = Assert.IsType<MeanFieldContrastiveLoss>(settings.Create(5, 4));
        Assert.Equal((0.02, 0.5, 0.1), (loss.Settings.PositiveMarginDistance, loss.Settings.NegativeMarginDistance, loss.MeanFieldWeight));
        var foreign = Assert.Throws<ArgumentException>(() => LossFactory.Defaults("contrastive").With(new Dictionary<string, double> { ["alpha"] = 1 }));
        Assert.Contains("no parameter alpha; it takes pos-margin, neg-margin", foreign.Message);
        Assert.Contains("unknown loss 'triplet'", Assert.Throws<ArgumentException>(() => LossFactory.Create("triplet", 5, 4)).Message);
    }

    [Fact]
    public void EachKeyNamesOneNumberOfItsLossAndSettingItChangesOnlyThatNumber()
    {
        foreach (var name in LossFactory.Names)
        {
            var defaults = LossFactory.Defaults(name);
            Assert.Equal(defaults.Parameters.Count, defaults.Parameters.Select(p => p.Key).Distinct().Count());
            foreach (var parameter in defaults.Parameters)
            {
                var changed = defaults.With([new(parameter.Key, parameter.Get(defaults) + 0.25)]);
                Assert.IsType(defaults.GetType(), changed);
                foreach (var other in defaults.Parameters)
                    Assert.Equal(other.Get(defaults) + (other == parameter ? 0.25 : 0), other.Get(changed), 12);
            }
        }
    }

    [Fact]
    public void SettingsRoundTripThroughJsonWithTheLossNameAsDiscriminator()
    {
        foreach (var name in LossFactory.Names)
        {
            var settings = LossFactory.Defaults(name).With([new(LossFactory.Defaults(name).Parameters[0].Key, 0.125)]);
            var json = JsonSerializer.Serialize(settings, JsonFiles.Options);
            Assert.StartsWith($"{{\"name\":\"{name}\"", json);
            Assert.Equal(settings, JsonSerializer.Deserialize<LossSettings>(json, JsonFiles.Options));
        }
        Assert.Equal(new MeanFieldClassWiseMultiSimilaritySettings(), new MeanFieldClassWiseMultiSimilaritySettings());
    }

    [Fact]
    public void OutOfRangeValuesAreRejectedNamingTheKey()
    {
        Assert.Contains("beta", Assert.Throws<ArgumentException>(() => new MeanFieldClassWiseMultiSimilaritySettings { NegativeScale = -1 }.Validate()).Message);
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => LossFactory.Defaults("normsoftmax").With([new("temperature", 0)]).Create(3, 2)).Message);
        Assert.Contains("epsilon", Assert.Throws<ArgumentException>(() => new MultiSimilarityLoss(3, new() { MinerMarginCosine = -0.1 })).Message);
    }
}
