using Retrieval.Study.Parts;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Parts;

public class TraditionalPartTests
{
    private static readonly StudyOptions Defaults = new() { DataRoot = "data/emoji" };

    [Fact]
    public void The_run_folder_is_stable_for_the_same_settings()
    {
        var name = TraditionalPart.RunName(LossNames.MeanFieldContrastive, 1, "emoji", Defaults);
        Assert.Equal(name, TraditionalPart.RunName(LossNames.MeanFieldContrastive, 1, "emoji", Defaults with { Workers = 4, DataRoot = "/elsewhere/emoji" }));
        Assert.Matches(@"^mfcont-seed1-[0-9a-f]{8}$", name);
    }

    [Fact]
    public void A_run_of_other_settings_is_never_read_back_as_this_one()
    {
        // A reduced-budget run (smaller images, fewer epochs), another data set or another backbone lands in another folder.
        var name = TraditionalPart.RunName(LossNames.ProxyAnchor, 1, "emoji", Defaults);
        Assert.NotEqual(name, TraditionalPart.RunName(LossNames.ProxyAnchor, 1, "emoji", Defaults with { TraditionalImageSize = 32 }));
        Assert.NotEqual(name, TraditionalPart.RunName(LossNames.ProxyAnchor, 1, "emoji", Defaults with { TraditionalEpochs = 3 }));
        Assert.NotEqual(name, TraditionalPart.RunName(LossNames.ProxyAnchor, 1, "emoji3", Defaults));
        Assert.NotEqual(name, TraditionalPart.RunName(LossNames.ProxyAnchor, 1, "emoji", Defaults with { Backbone = "resnet18", Pretrained = null }));
        Assert.NotEqual(name, TraditionalPart.RunName(LossNames.ProxyAnchor, 2, "emoji", Defaults));
    }
}
