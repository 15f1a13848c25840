using Retrieval.Core.Data;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Search;

/// <summary>
/// The hyper-parameter search of the modern protocol: a fixed number of trials per loss, trial 0 the paper's defaults
/// (head lr 1e-3, loss-parameter lr x100), the others drawn at random (seeded by the loss name) from the ranges below
/// — the head's learning rate, the loss-parameter learning-rate ratio where the loss has parameters (mean fields,
/// proxies, class weights), and the loss's own margins and scales. The regulariser weight of the mean-field losses
/// stays 0 (the official runs); the study measures it separately.
/// </summary>
public static class SearchSpace
{
    public const double DefaultLearningRate = 1e-3;
    public const double DefaultLossLearningRateRatio = 100;

    private static readonly SearchDimension LearningRate = new("lr", 1e-4, 1e-2, true);
    private static readonly SearchDimension LossLearningRateRatio = new("loss-lr-ratio", 1, 1e4, true);

    /// <summary>The loss's own searched parameters.</summary>
    public static IReadOnlyList<SearchDimension> LossDimensions(string loss) => loss switch
    {
        LossNames.MeanFieldClassWiseMultiSimilarity or LossNames.ClassWiseMultiSimilarity or LossNames.MultiSimilarity =>
            [new("alpha", 0.01, 10, true), new("beta", 10, 100, true), new("lambda", 0.3, 0.9, false)],
        LossNames.MeanFieldContrastive => [new("pos-margin", 0, 0.2, false), new("neg-margin", 0.1, 0.9, false)],
        LossNames.Contrastive => [new("pos-margin", 0, 0.4, false), new("neg-margin", 0.3, 1.3, false)],
        LossNames.ProxyAnchor => [new("delta", 0, 0.3, false), new("alpha", 8, 64, true)],
        LossNames.ProxyNca => [new("scale", 4, 64, true)],
        LossNames.ArcFace => [new("margin-degrees", 5, 40, false), new("scale", 8, 64, true)],
        LossNames.CosFace => [new("margin", 0.05, 0.5, false), new("scale", 8, 64, true)],
        LossNames.NormalizedSoftmax => [new("temperature", 0.01, 0.2, true)],
        _ => throw new ArgumentException($"no search space for loss '{loss}'", nameof(loss)),
    };

    /// <summary>Every searched dimension of <paramref name="loss"/>.</summary>
    public static IReadOnlyList<SearchDimension> Dimensions(string loss, bool hasLossParameters) =>
        [LearningRate, .. hasLossParameters ? new[] { LossLearningRateRatio } : [], .. LossDimensions(loss)];

    /// <summary><paramref name="count"/> trials of <paramref name="loss"/>: trial 0 the defaults, the rest drawn with a generator seeded by (seed, loss name).</summary>
    public static IReadOnlyList<Trial> Trials(string loss, bool hasLossParameters, int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "the search needs at least one trial");
        var defaults = LossFactory.Defaults(loss);
        var trials = new List<Trial> { new(0, defaults, DefaultLearningRate, DefaultLossLearningRateRatio) };
        var rng = new Random(unchecked((int)StableHash.Fnv1a64($"search/{seed}/{loss}")));
        for (var i = 1; i < count; i++)
        {
            var (lr, ratio) = (DefaultLearningRate, DefaultLossLearningRateRatio);
            var overrides = new List<KeyValuePair<string, double>>();
            foreach (var d in Dimensions(loss, hasLossParameters))
            {
                var v = d.Sample(rng);
                if (d.Key == LearningRate.Key) lr = v;
                else if (d.Key == LossLearningRateRatio.Key) ratio = v;
                else overrides.Add(new(d.Key, v));
            }
            trials.Add(new Trial(i, defaults.With(overrides), lr, ratio));
        }
        return trials;
    }
}
