using Retrieval.Study.Results;

namespace Retrieval.Study.Search;

/// <summary>Chooses a search's trial on validation only: the highest mean validation MAP@R over the folds, the lower index on a tie.</summary>
public static class TrialSelection
{
    public static int Best(IReadOnlyList<TrialScore> trials)
    {
        if (trials.Count == 0) throw new ArgumentException("no trials to choose from", nameof(trials));
        var best = 0;
        for (var i = 1; i < trials.Count; i++)
            if (trials[i].MeanValidationMapAtR > trials[best].MeanValidationMapAtR) best = i;
        return trials[best].Index;
    }
}
