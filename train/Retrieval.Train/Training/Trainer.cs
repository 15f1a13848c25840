using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Retrieval.Core.IO;
using Retrieval.Core.Metrics;
using Retrieval.Train.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// A training run, step by step: start (or resume from last.ckpt), then per epoch train (<see cref="EpochRunner"/>),
/// score the validation classes (<see cref="EvaluationSet"/>), record the epoch and checkpoint it (best by
/// validation MAP@R; early stopping after --patience epochs without a better one); at the end the best checkpoint's
/// test metrics next to the untrained network's. The test split is never used to choose anything.
/// </summary>
public sealed class Trainer
{
    private readonly TrainOptions _options;
    private readonly TrainingSets _sets;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly MetricLoss _loss;
    private readonly Device _device;
    private readonly ITrainingProgress _progress;

    public Trainer(TrainOptions options, TrainingSets sets, nn.Module<Tensor, Tensor> model, MetricLoss loss, Device device, ITrainingProgress progress)
    {
        (_options, _sets, _model, _loss, _device, _progress) = (options, sets, model, loss, device, progress);
        Run = new RunDirectory(options.RunDirectory);
        Test = new EvaluationSet(sets.TestQuery, sets.TestGallery, EmbeddingSettings.Of(options));
    }

    /// <summary>The run directory (config, metrics, checkpoints, plot, test metrics).</summary>
    public RunDirectory Run { get; }

    /// <summary>The test split (queries and gallery), for reports after training.</summary>
    public EvaluationSet Test { get; }

    /// <summary>Trains (or resumes), then evaluates the best checkpoint on the test split; the model ends with the best weights.</summary>
    public TrainingResult Train()
    {
        var clock = Stopwatch.StartNew();
        _model.to(_device);
        _loss.to(_device);
        var epochs = new EpochRunner(_options, _sets.Train, _model, _loss, _device, _progress);
        using var optimizer = new TrainingOptimizer(_model, _loss, _options, epochs.StepsPerEpoch);
        var validation = new EvaluationSet(_sets.Validation, null, EmbeddingSettings.Of(_options));

        var state = StartOrResume(optimizer);
        for (var epoch = state.CompletedEpochs; epoch < _options.Epochs && !state.Stopped; epoch++)
        {
            var trained = epochs.Run(epoch, optimizer);
            var scores = validation.Score(_model, _device, _options.RecallAtK);
            var record = new EpochRecord(epoch + 1, trained.MeanLoss, optimizer.ModelLearningRate, optimizer.LossLearningRate, scores,
                trained.Seconds, trained.ImagesPerSecond, state.IsImprovement(scores.MapAtR));
            state = state.After(record, _options.Patience);
            SaveEpoch(state, optimizer);
            _progress.Message(Describe(record));
            if (state.Stopped)
                _progress.Message($"early stop: validation MAP@R has not improved for {state.EpochsWithoutImprovement} epoch(s) (patience {_options.Patience})");
        }
        return Finish(state, clock.Elapsed.TotalSeconds);
    }

    private TrainingState StartOrResume(TrainingOptimizer optimizer)
    {
        var config = JsonSerializer.Serialize(_options with { Resume = false }, JsonFiles.Indented);
        if (_options.Resume && File.Exists(Run.LastCheckpoint))
        {
            if (File.Exists(Run.Config) && File.ReadAllText(Run.Config) != config)
                throw new InvalidOperationException($"--resume: the settings differ from {Run.Config} (or it was written by an earlier retrieval-train); resume with the same settings or choose another --name");
            var resumed = CheckpointFile.Load(Run.LastCheckpoint, _model, _loss, optimizer.Optimizer);
            _progress.Message($"resumed {Run.LastCheckpoint} after epoch {resumed.CompletedEpochs} (best validation MAP@R {resumed.BestValidationMapAtR:F4} at epoch {resumed.BestEpoch})");
            Run.WriteMetrics(resumed.History);
            return resumed;
        }
        if (!_options.Resume && File.Exists(Run.LastCheckpoint))
            throw new InvalidOperationException($"{Run.Path} already holds a run; pass --resume to continue it or choose another --name");
        AtomicFile.WriteAllText(Run.Config, config);
        _progress.Message("evaluating the untrained network on the test split");
        var untrained = Test.Score(_model, _device, _options.RecallAtK);
        _progress.Message($"untrained test: {Format(untrained)}");
        return TrainingState.Initial(_options.Seed, untrained);
    }

    /// <summary>best.ckpt when the epoch improved, last.ckpt (with the optimizer, for --resume), metrics.jsonl and the learning curve.</summary>
    private void SaveEpoch(TrainingState state, TrainingOptimizer optimizer)
    {
        if (state.History[^1].IsBest) CheckpointFile.Save(Run.BestCheckpoint, state, _model, _loss, null);
        CheckpointFile.Save(Run.LastCheckpoint, state, _model, _loss, optimizer.Optimizer);
        Run.WriteMetrics(state.History);
        LearningCurvePlot.Save(Run.LearningCurve, state.History, $"{_options.Loss.Name} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(_options.DataRoot))}");
    }

    private TrainingResult Finish(TrainingState state, double seconds)
    {
        if (state.History.Count == 0 || !File.Exists(Run.BestCheckpoint))
            throw new InvalidOperationException($"no epoch finished; {Run.BestCheckpoint} is missing");
        CheckpointFile.Load(Run.BestCheckpoint, _model, _loss, null);
        var embedded = Test.Embed(_model, _device);
        var test = Test.Score(embedded, _options.RecallAtK);
        TestGrid.Save(Run.TestGrid, Test, embedded, _options.DataRoot);
        var result = new TrainingResult(_options.Loss.Name, state.BestEpoch, state.CompletedEpochs, state.History[state.BestEpoch - 1].Validation,
            state.UntrainedTest ?? throw new InvalidDataException("the checkpoint lacks the untrained test metrics"), test, seconds,
            WeightsDigest.Of(_model), RunEnvironment.Current(_device));
        JsonFiles.Write(Run.TestMetrics, result);
        _progress.Message($"untrained test: {Format(result.UntrainedTest)}");
        _progress.Message($"trained test (best epoch {state.BestEpoch}): {Format(test)}");
        _progress.Message(string.Create(CultureInfo.InvariantCulture, $"test MAP@R gain: x{result.MapAtRGain:F2}; best weights sha256 {result.WeightsSha256[..16]}; wrote {Run.TestMetrics}"));
        return result;
    }

    private static string Describe(EpochRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {r.Epoch}: loss {r.Loss:F4} lr {r.LearningRate:G3} val {Format(r.Validation)} {r.ImagesPerSecond:F0} img/s {r.Seconds:F1}s{(r.IsBest ? " *best*" : "")}");

    private static string Format(RetrievalReport s) => string.Create(CultureInfo.InvariantCulture,
        $"P@1 {s.PrecisionAt1:F4} RP {s.RPrecision:F4} MAP@R {s.MapAtR:F4} ({s.Queries} queries)");
}
