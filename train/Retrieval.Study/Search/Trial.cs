using System.Globalization;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Search;

/// <summary>One point of the hyper-parameter search: the loss settings and the head's two learning rates.</summary>
public sealed record Trial(int Index, LossSettings Loss, double LearningRate, double LossLearningRateRatio)
{
    /// <summary>"lr 1e-3, loss-lr-ratio 100, alpha=..., ..." (the ratio only where the loss has parameters).</summary>
    public string Describe(bool hasLossParameters) => string.Create(CultureInfo.InvariantCulture,
        $"lr {LearningRate:G3}{(hasLossParameters ? $", loss-lr-ratio {LossLearningRateRatio:G3}" : "")}, {Loss.Describe()}");
}
