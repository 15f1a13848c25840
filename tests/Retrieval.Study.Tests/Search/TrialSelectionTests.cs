using Retrieval.Study.Results;
using Retrieval.Study.Search;

namespace Retrieval.Study.Tests.Search;

public class TrialSelectionTests
{
    private static TrialScore Score(int index, double validation) => new(index, $"trial {index}", validation, [validation], [1], 0);

    [Fact]
    public void Picks_the_best_mean_validation_trial() =>
        Assert.Equal(2, TrialSelection.Best([Score(0, 0.30), Score(1, 0.31), Score(2, 0.42), Score(3, 0.41)]));

    [Fact]
    public void A_tie_keeps_the_lower_index() =>
        Assert.Equal(1, TrialSelection.Best([Score(0, 0.2), Score(1, 0.5), Score(2, 0.5)]));

    [Fact]
    public void No_trials_is_an_error() => Assert.Throws<ArgumentException>(() => TrialSelection.Best([]));
}
