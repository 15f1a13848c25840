using System.Globalization;
using System.Text.Json;
using Retrieval.CommandLine;
using Retrieval.Core.IO;
using Retrieval.Study.Features;
using Retrieval.Study.Results;
using Retrieval.Train.Losses;
using Retrieval.Train.Training;

namespace Retrieval.Study.Parts;

/// <summary>
/// The traditional protocol: full fine-tuning with retrieval-train (<see cref="TrainingSession"/>) for each loss and
/// seed with the paper's defaults — AdamW lr 1e-4, weight decay 1e-4, frozen BatchNorm, 1 warm-up epoch, StepLR 10/0.5,
/// gradient clipping 10, loss parameters at lr x ratio — at a budget a 2-core CPU can afford (image size, epochs).
/// Model selection on the class-disjoint validation split; the test score is the best validation epoch's. A finished
/// run is read back from its test-metrics.json; an interrupted one resumes from its last checkpoint.
/// </summary>
public sealed class TraditionalPart(StudyContext context)
{
    public TraditionalResult Run()
    {
        var o = context.Options;
        var runs = new List<TraditionalRun>();
        foreach (var seed in Enumerable.Range(1, o.TraditionalSeeds))
            foreach (var loss in o.TraditionalLosses)
            {
                runs.Add(RunOne(loss, seed));
                context.Files.Save(context.Files.Traditional, Result(runs));
            }
        return Result(runs);
    }

    /// <summary>The retrieval-train settings of one run.</summary>
    public TrainOptions Options(string loss, int seed)
    {
        var o = context.Options;
        return new TrainOptions
        {
            DataRoot = o.DataRoot, Loss = LossFactory.Defaults(loss), Backbone = o.Backbone, Pretrained = o.Pretrained,
            ImageSize = o.TraditionalImageSize, EvalResize = o.TraditionalImageSize, EmbeddingSize = o.TraditionalEmbeddingSize,
            Epochs = o.TraditionalEpochs, Patience = o.TraditionalEpochs, ClassesPerBatch = 32, ImagesPerClass = 4,
            LearningRate = o.TraditionalLearningRate, LossLearningRateRatio = o.TraditionalRatio(loss), WeightDecay = 1e-4,
            WarmupEpochs = 1, LrStep = 10, LrGamma = 0.5, GradientClipNorm = 10, FreezeBatchNorm = true, Seed = seed,
            Threads = o.Workers, Device = DeviceChoice.Cpu, OutputDir = context.Files.TraditionalRuns, RunName = RunName(loss, seed, context.Dataset.Name, o),
        };
    }

    /// <summary>
    /// "&lt;loss&gt;-seed&lt;n&gt;-&lt;key&gt;": the key hashes everything that changes a run's result (data set, backbone, weights,
    /// image size, embedding size, epochs, learning rates), so a run made with other settings — a reduced budget, another
    /// data set — is never read back as this one's.
    /// </summary>
    public static string RunName(string loss, int seed, string datasetName, StudyOptions o)
    {
        var key = FeatureFile.KeyOf(
        [
            "traditional v2", datasetName, o.Backbone, o.Pretrained ?? "none", LossFactory.Defaults(loss).Describe(),
            string.Create(CultureInfo.InvariantCulture,
                $"seed {seed} size {o.TraditionalImageSize} dim {o.TraditionalEmbeddingSize} epochs {o.TraditionalEpochs} lr {o.TraditionalLearningRate:R} ratio {o.TraditionalRatio(loss):R}"),
        ]);
        return $"{loss}-seed{seed}-{Convert.ToHexString(key)[..8].ToLowerInvariant()}";
    }

    private TraditionalRun RunOne(string loss, int seed)
    {
        var options = Options(loss, seed);
        var run = new RunDirectory(options.RunDirectory);
        TrainingResult result;
        if (File.Exists(run.TestMetrics))
        {
            result = JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(run.TestMetrics), JsonFiles.Options)
                     ?? throw new InvalidDataException($"{run.TestMetrics}: empty");
            context.Log($"traditional {loss} seed {seed}: finished earlier ({run.TestMetrics})");
        }
        else
        {
            var resume = File.Exists(run.LastCheckpoint);
            context.Log($"traditional {loss} seed {seed}: {(resume ? "resuming" : "training")} in {run.Path}");
            using var writer = new LineWriter(line => context.Log($"traditional {loss} seed {seed}: {line}"));
            result = TrainingSession.Run(options with { Resume = resume }, writer);
        }
        var history = File.ReadAllLines(run.Metrics).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<EpochRecord>(l, JsonFiles.Options)!).ToList();
        return new TraditionalRun(loss, seed, result.BestEpoch, result.EpochsRun, MetricTriple.Of(result.Test), result.UntrainedTest.MapAtR,
            history.Select(h => h.Validation.MapAtR).ToList(), history.Select(h => h.Loss).ToList(), result.TrainSeconds);
    }

    private TraditionalResult Result(IReadOnlyList<TraditionalRun> runs)
    {
        var o = context.Options;
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"{o.Backbone} ({o.Pretrained ?? "random init"}), {o.TraditionalImageSize} px, {o.TraditionalEmbeddingSize}-d, {o.TraditionalEpochs} epochs, " +
            $"batch 32 classes x 4, AdamW lr {o.TraditionalLearningRate:G3} wd 1e-4, loss-parameter lr x2000 (ProxyAnchor x100), frozen BatchNorm, warm-up 1, StepLR 10/0.5, clip 10");
        return new TraditionalResult(context.Dataset.Name, settings, runs);
    }
}
