using Retrieval.Core.Metrics;
using Retrieval.Study.Folds;
using Retrieval.Train.Data;
using Retrieval.Train.Losses;
using Retrieval.Train.Training;
using static TorchSharp.torch;

namespace Retrieval.Study.Heads;

/// <summary>
/// Trains an <see cref="EmbeddingHead"/> and the loss's own parameters on frozen features with retrieval-train's pieces
/// (<see cref="ClassBalancedSampler"/>, <see cref="TrainingOptimizer"/>, the losses), scoring the held-out fold after
/// every epoch with core's <see cref="RetrievalMetrics"/>; returns the best epoch's weights. Deterministic given the
/// job: initialisation under <see cref="StudyRandom.InitLock"/>, batch plans from the seed, one libtorch thread.
/// </summary>
public static class HeadTrainer
{
    public static (HeadOutcome Outcome, HeadWeights Best) Train(HeadJob job, FoldData fold)
    {
        using var scope = NewDisposeScope();
        EmbeddingHead head;
        MetricLoss loss;
        lock (StudyRandom.InitLock)
        {
            random.manual_seed(job.Seed);
            head = new EmbeddingHead(fold.Train.Dimension, job.EmbeddingSize);
            loss = job.Loss.Create(fold.TrainClasses, job.EmbeddingSize);
        }
        using var headScope = head;
        using var lossScope = loss;
        var s = job.Schedule;
        var sampler = new ClassBalancedSampler(fold.TrainLabels, s.ClassesPerBatch, s.ImagesPerClass, job.Seed);
        var options = new TrainOptions
        {
            DataRoot = "-", Loss = job.Loss, LearningRate = job.LearningRate, LossLearningRateRatio = job.LossLearningRateRatio,
            WeightDecay = s.WeightDecay, WarmupEpochs = s.WarmupEpochs, LrStep = s.LrStep, LrGamma = s.LrGamma, GradientClipNorm = s.GradientClipNorm,
        };
        using var optimizer = new TrainingOptimizer(head, loss, options, sampler.BatchesPerEpoch);
        var features = tensor(fold.Train.Vectors, [fold.Train.Count, fold.Train.Dimension]);
        var labels = tensor(fold.TrainLabels.Select(l => (long)l).ToArray());
        var validation = tensor(fold.Validation.Vectors, [fold.Validation.Count, fold.Validation.Dimension]);

        var best = (Epoch: 0, Report: (RetrievalReport?)null, Weights: head.Snapshot());
        var validationCurve = new List<double>();
        var lossCurve = new List<double>();
        string? failure = null;
        head.train();
        for (var epoch = 0; epoch < s.MaxEpochs && failure is null; epoch++)
        {
            var plan = sampler.PlanEpoch(epoch);
            double sum = 0;
            for (var step = 0; step < plan.Length; step++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.Schedule(epoch, step);
                var rows = tensor(plan[step].Select(i => (long)i).ToArray());
                loss.CheckValues = step == 0;
                var value = loss.forward(head.forward(features.index_select(0, rows)), labels.index_select(0, rows));
                var v = value.item<float>();
                if (!float.IsFinite(v)) { failure = $"the loss became {v} at epoch {epoch + 1}, step {step + 1}"; break; }
                sum += v;
                optimizer.Step(value);
            }
            if (failure is not null) break;
            lossCurve.Add(sum / plan.Length);
            var report = Score(head, validation, fold.ValidationLabels);
            validationCurve.Add(report.MapAtR);
            if (best.Report is null || report.MapAtR > best.Report.MapAtR) best = (epoch + 1, report, head.Snapshot());
            else if (epoch + 1 >= s.MinEpochs && epoch + 1 - best.Epoch >= s.Patience) break;
        }
        var r = best.Report;
        var outcome = new HeadOutcome(best.Epoch, lossCurve.Count, r?.PrecisionAt1 ?? 0, r?.RPrecision ?? 0, r?.MapAtR ?? 0, validationCurve, lossCurve, failure);
        return (outcome, best.Weights);
    }

    /// <summary>Validation scores: the fold's rows against each other, each query's own row excluded.</summary>
    private static RetrievalReport Score(EmbeddingHead head, Tensor validation, int[] labels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        head.eval();
        var embeddings = head.forward(validation).contiguous().data<float>().ToArray();
        head.train();
        return RetrievalMetrics.EvaluateExact(embeddings, labels, embeddings, labels, (int)(embeddings.Length / labels.Length), EvaluationMode.QueryIsReference, []);
    }
}
