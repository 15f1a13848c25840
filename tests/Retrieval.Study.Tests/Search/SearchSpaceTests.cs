using Retrieval.Study.Search;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Search;

public class SearchSpaceTests
{
    public static TheoryData<string> Losses() => [.. LossFactory.Names];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Trial_zero_is_the_paper_defaults_and_the_rest_lie_in_their_ranges(string loss)
    {
        var trials = SearchSpace.Trials(loss, true, 12, 1);
        Assert.Equal(12, trials.Count);
        Assert.Equal(LossFactory.Defaults(loss), trials[0].Loss);
        Assert.Equal(SearchSpace.DefaultLearningRate, trials[0].LearningRate);
        foreach (var trial in trials.Skip(1))
        {
            trial.Loss.Validate();
            Assert.InRange(trial.LearningRate, 1e-4, 1e-2);
            Assert.InRange(trial.LossLearningRateRatio, 1, 1e4);
            foreach (var d in SearchSpace.LossDimensions(loss))
                Assert.InRange(trial.Loss.Parameters.Single(p => p.Key == d.Key).Get(trial.Loss), d.Low, d.High);
        }
        Assert.Equal(12, trials.Select(t => t.Loss.Describe() + t.LearningRate).Distinct().Count());
    }

    [Fact]
    public void Trials_repeat_for_a_seed_and_differ_between_seeds_and_losses()
    {
        Assert.Equal(SearchSpace.Trials(LossNames.MeanFieldContrastive, true, 5, 1), SearchSpace.Trials(LossNames.MeanFieldContrastive, true, 5, 1));
        Assert.NotEqual(SearchSpace.Trials(LossNames.MeanFieldContrastive, true, 5, 1)[1], SearchSpace.Trials(LossNames.MeanFieldContrastive, true, 5, 2)[1]);
        Assert.NotEqual(SearchSpace.Trials(LossNames.Contrastive, false, 5, 1)[1].LearningRate, SearchSpace.Trials(LossNames.MeanFieldContrastive, true, 5, 1)[1].LearningRate);
    }

    [Fact]
    public void A_loss_without_parameters_keeps_the_default_ratio() =>
        Assert.All(SearchSpace.Trials(LossNames.Contrastive, false, 6, 1), t => Assert.Equal(SearchSpace.DefaultLossLearningRateRatio, t.LossLearningRateRatio));
}
