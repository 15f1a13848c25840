using Retrieval.Study.Heads;
using Retrieval.Study.Results;
using Retrieval.Study.Search;
using Retrieval.Train.Losses;
using static TorchSharp.torch;

namespace Retrieval.Study.Parts;

/// <summary>
/// The modern (MLRC) protocol on frozen features. Per loss: the search's trials, each trained on every fold of the
/// class-disjoint cross-validation (seed = the study seed, so trials differ only in their settings); the trial with
/// the best mean validation MAP@R is chosen; then <see cref="StudyOptions.Repetitions"/> repetitions (new seeds) of the
/// fold models with it are tested, separated and concatenated. The mean-field losses repeat that with the regulariser on.
/// </summary>
public sealed class ModernPart(StudyContext context)
{
    private const int RepetitionSeedBase = 100;

    public ModernResult Run()
    {
        var o = context.Options;
        var features = context.Features;
        var raw = TestEvaluation.RawFeatures(features);
        context.Log($"modern: raw {features.Dimension}-d features on test: MAP@R {raw.MapAtR:F4}");
        var losses = new List<LossStudy>();
        foreach (var loss in o.Losses)
        {
            losses.Add(RunLoss(loss));
            Save(losses, raw);
        }
        return Save(losses, raw);
    }

    /// <summary>Search then repetitions for one loss (cached runs are reused).</summary>
    public LossStudy RunLoss(string loss)
    {
        var (best, trials, hasParameters) = Search(loss);
        var repetitions = Repeat(loss, best, context.Options.EmbeddingSize, context.Options.Repetitions, "modern test");
        IReadOnlyList<RepetitionScore>? regularised = null;
        if (best.Loss is IMeanFieldSettings)
        {
            var on = best with { Loss = best.Loss.With([new("mf-weight", context.Options.RegulariserWeight)]) };
            regularised = Repeat(loss, on, context.Options.EmbeddingSize, context.Options.Repetitions, "modern regulariser");
        }
        return new LossStudy(loss, hasParameters, trials, best, repetitions, regularised);
    }

    /// <summary>The search of <paramref name="loss"/>: every trial on every fold; the best trial by mean validation MAP@R.</summary>
    public (Trial Best, IReadOnlyList<TrialScore> Trials, bool HasLossParameters) Search(string loss)
    {
        var o = context.Options;
        var hasParameters = HasLossParameters(loss);
        var trials = SearchSpace.Trials(loss, hasParameters, o.Trials, o.Seed);
        var outcomes = context.Runner().Run(trials.SelectMany(t => FoldJobs(t, o.Head)).ToList(), false, $"modern search {loss}");
        var scores = trials.Select(t => Score(t.Index, t.Describe(hasParameters), outcomes.Skip(t.Index * o.Folds).Take(o.Folds).Select(r => r.Outcome).ToList())).ToList();
        var chosen = TrialSelection.Best(scores);
        context.Log($"modern search {loss}: chose trial {chosen} (mean validation MAP@R {scores[chosen].MeanValidationMapAtR:F4}): {scores[chosen].Settings}");
        return (trials[chosen], scores, hasParameters);
    }

    /// <summary>Repetitions of the fold models with <paramref name="trial"/> at <paramref name="dimension"/>, each scored on the test split.</summary>
    public IReadOnlyList<RepetitionScore> Repeat(string loss, Trial trial, int dimension, int repetitions, string label)
    {
        var o = context.Options;
        var seeds = Enumerable.Range(RepetitionSeedBase + 1, repetitions).ToList();
        var jobs = seeds.SelectMany(seed => Enumerable.Range(0, o.Folds).Select(k => Job(trial, dimension, k, seed))).ToList();
        var outcomes = context.Runner().Run(jobs, true, $"{label} {loss} d{dimension}");
        return seeds.Select((seed, r) =>
        {
            var runs = outcomes.Skip(r * o.Folds).Take(o.Folds).ToList();
            var heads = runs.Select(x => x.Weights!).ToList();
            var separated = TestEvaluation.Separated(heads, context.Features).Select(MetricTriple.Of).ToList();
            return new RepetitionScore(seed, MetricTriple.Mean(separated), MetricTriple.Of(TestEvaluation.Concatenated(heads, context.Features)),
                separated.Select(s => s.MapAtR).ToList(), runs.Select(x => x.Outcome.BestEpoch).ToList());
        }).ToList();
    }

    /// <summary>The cross-validation score of <paramref name="trial"/> trained with <paramref name="schedule"/> (the search seed, every fold).</summary>
    public TrialScore Validate(Trial trial, HeadSchedule schedule, string settings, string label) =>
        Score(trial.Index, settings, context.Runner().Run(FoldJobs(trial, schedule), false, label).Select(r => r.Outcome).ToList());

    private IReadOnlyList<HeadJob> FoldJobs(Trial trial, HeadSchedule schedule) =>
        Enumerable.Range(0, context.Options.Folds).Select(k => Job(trial, context.Options.EmbeddingSize, k, context.Options.Seed) with { Schedule = schedule }).ToList();

    private static TrialScore Score(int index, string settings, IReadOnlyList<HeadOutcome> folds) =>
        new(index, settings, folds.Average(f => f.ValidationMapAtR), folds.Select(f => f.ValidationMapAtR).ToList(),
            folds.Select(f => f.BestEpoch).ToList(), folds.Count(f => f.Failure is not null));

    private HeadJob Job(Trial trial, int dimension, int fold, int seed) =>
        new(trial.Loss, dimension, trial.LearningRate, trial.LossLearningRateRatio, fold, context.Options.Folds, seed, context.Options.Head);

    private ModernResult Save(IReadOnlyList<LossStudy> losses, MetricTriple raw)
    {
        var o = context.Options;
        var f = context.Features;
        var result = new ModernResult(f.DatasetName, f.Extractor, o.Folds, o.EmbeddingSize, o.Trials, o.Head, o.RegulariserWeight,
            f.Train.Count, f.Train.ClassIds.Distinct().Count(), f.Query.Count, f.Gallery?.Count ?? 0, raw, losses);
        context.Files.Save(context.Files.Modern, result);
        return result;
    }

    /// <summary>Whether the loss has learnable parameters of its own (its learning-rate ratio is then searched).</summary>
    public static bool HasLossParameters(string loss)
    {
        lock (StudyRandom.InitLock)
        {
            using var probe = LossFactory.Create(loss, 2, 2);
            return probe.LossParameters.Count > 0;
        }
    }
}
