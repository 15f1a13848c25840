using Retrieval.Study.Features;
using Retrieval.Study.Folds;
using Retrieval.Study.Heads;
using Retrieval.Train.Losses;

namespace Retrieval.Study.Tests.Heads;

[Collection("TorchSharp")]
public class HeadTrainerTests
{
    /// <summary>16 classes x 6 items around random class centres in 24-d, with noise: learnable, not trivial.</summary>
    internal static LabeledFeatures Clusters(int classes = 16, int perClass = 6, int dimension = 24, int seed = 3)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dimension).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
        var vectors = new List<float>();
        var ids = new List<string>();
        for (var c = 0; c < classes; c++)
            for (var i = 0; i < perClass; i++)
            {
                vectors.AddRange(centres[c].Select(v => (float)(v + 0.8 * (rng.NextDouble() * 2 - 1))));
                ids.Add($"class{c:D2}");
            }
        return new LabeledFeatures(vectors.ToArray(), dimension, ids);
    }

    private static HeadJob Job(string loss) => new(LossFactory.Defaults(loss), 8, 3e-3, 100, 1, 4, 7,
        new HeadSchedule { MaxEpochs = 4, Patience = 2, ClassesPerBatch = 4, ImagesPerClass = 3 });

    [Theory]
    [InlineData(LossNames.MeanFieldClassWiseMultiSimilarity)]
    [InlineData(LossNames.Contrastive)]
    public void The_same_job_gives_the_same_result(string loss)
    {
        var fold = FoldData.Split(Clusters(), 4)[1];
        var (first, firstWeights) = HeadTrainer.Train(Job(loss), fold);
        var (second, secondWeights) = HeadTrainer.Train(Job(loss), fold);
        Assert.Equal(first.ValidationCurve, second.ValidationCurve);
        Assert.Equal(first.LossCurve, second.LossCurve);
        Assert.Equal(firstWeights.Weight, secondWeights.Weight);
        Assert.Null(first.Failure);
        Assert.InRange(first.BestEpoch, 1, first.EpochsRun);
        Assert.Equal(first.ValidationCurve.Max(), first.ValidationMapAtR);
    }

    [Fact]
    public void The_kept_weights_are_the_best_validation_epoch()
    {
        var fold = FoldData.Split(Clusters(), 4)[1];
        var (outcome, weights) = HeadTrainer.Train(Job(LossNames.ProxyAnchor), fold);
        // Re-score the kept weights on the validation fold: they must reproduce the best epoch's MAP@R.
        var embedded = weights.Embed(fold.Validation.Vectors);
        var report = Retrieval.Core.Metrics.RetrievalMetrics.EvaluateExact(embedded, fold.ValidationLabels, embedded, fold.ValidationLabels, 8,
            Retrieval.Core.Metrics.EvaluationMode.QueryIsReference, []);
        Assert.Equal(outcome.ValidationMapAtR, report.MapAtR, 5);
    }

    [Fact]
    public void Early_stopping_waits_for_the_minimum_epochs()
    {
        var fold = FoldData.Split(Clusters(), 4)[1];
        var job = Job(LossNames.Contrastive) with { Schedule = new HeadSchedule { MaxEpochs = 5, Patience = 1, MinEpochs = 5, ClassesPerBatch = 4, ImagesPerClass = 3 } };
        var (outcome, _) = HeadTrainer.Train(job, fold);
        Assert.Equal(5, outcome.EpochsRun);
        Assert.Equal(5, outcome.ValidationCurve.Count);
    }
}
