using Retrieval.Core.Metrics;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Retrieval.Core.Imaging;
using Retrieval.Train.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Train.Training;

/// <summary>
/// The training loop: class-balanced batches prefetched ahead of the step, AdamW with a model group and
/// a loss-parameter group (lr x ratio), StepLR with warm-up, gradient clipping (parameters without
/// requires_grad, e.g. frozen BatchNorm, are left out); validation metrics every epoch, best-by-validation-MAP@R checkpoint, early stopping, an
/// atomic checkpoint every epoch for --resume; at the end the untrained and the best model's test metrics.
/// </summary>
public sealed class Trainer
{
    private readonly TrainOptions _options;
    private readonly TrainingSets _sets;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly nn.Module<Tensor, Tensor, Tensor> _loss;
    private readonly Device _device;
    private readonly ITrainingProgress _progress;
    private readonly RunDirectory _run;
    private readonly long _cacheBytes;

    public Trainer(TrainOptions options, TrainingSets sets, nn.Module<Tensor, Tensor> model,
        nn.Module<Tensor, Tensor, Tensor> loss, Device device, ITrainingProgress progress)
    {
        _options = options;
        _sets = sets;
        _model = model;
        _loss = loss;
        _device = device;
        _progress = progress;
        _run = new RunDirectory(options.RunDirectory);
        _cacheBytes = (long)options.CacheMegabytes << 20;
    }

    /// <summary>The run directory (config, metrics, checkpoints, plot, test metrics).</summary>
    public RunDirectory Run => _run;

    /// <summary>Trains (or resumes), then evaluates the best checkpoint on the test split.</summary>
    public TrainingResult Train()
    {
        var clock = Stopwatch.StartNew();
        _model.to(_device);
        _loss.to(_device);
        var modelParameters = _model.parameters().Where(p => p.requires_grad).ToList();
        var lossParameters = _loss.parameters().ToList();
        using var optimizer = CreateOptimizer(modelParameters, lossParameters);
        var groups = optimizer.ParamGroups.ToList();
        var sampler = new ClassBalancedSampler(_sets.Train.Select(i => i.Label).ToList(), _options.ClassesPerBatch, _options.ImagesPerClass, _options.Seed);
        var schedule = new WarmupStepSchedule(_options.WarmupEpochs, _options.LrStep, _options.LrGamma, sampler.BatchesPerEpoch);
        var trainImages = new ImageStore(_sets.Train.Select(i => i.Path).ToList(), _cacheBytes);
        var batches = new TrainBatchBuilder(trainImages, _sets.Train.Select(i => i.Label).ToList(), _options.ImageSize, _options.CropScaleMin, _options.Seed);
        var validation = new EvalSet(_sets.Validation, null, this);
        var clipped = modelParameters.Concat(lossParameters).ToList();

        var state = StartOrResume(optimizer);
        var stepsDone = 0;
        var totalSteps = (_options.Epochs - state.CompletedEpochs) * sampler.BatchesPerEpoch;
        var stepClock = Stopwatch.StartNew();
        for (var epoch = state.CompletedEpochs; epoch < _options.Epochs && !state.Stopped; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            _model.train();
            var plan = sampler.PlanEpoch(epoch);
            _progress.StartEpoch(epoch + 1, _options.Epochs, plan.Length);
            double lossSum = 0;
            var images = 0;
            var step = 0;
            foreach (var batch in Prefetcher.Run(plan.Length, b => batches.Build(epoch, b, plan[b]), _options.PrefetchBatches))
            {
                var factor = schedule.Factor(epoch, step);
                groups[0].LearningRate = _options.LearningRate * factor;
                if (groups.Count > 1) groups[1].LearningRate = _options.LearningRate * _options.LossLearningRateRatio * factor;
                lossSum += TrainStep(optimizer, clipped, batch, epoch, step);
                images += batch.Count;
                step++;
                stepsDone++;
                var perStep = stepClock.Elapsed.TotalSeconds / stepsDone;
                _progress.Step(step, lossSum / step, images / epochClock.Elapsed.TotalSeconds,
                    TimeSpan.FromSeconds(perStep * (totalSteps - stepsDone)));
            }
            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            var scores = validation.Score(_options.RecallAtK);
            var improved = scores.MapAtR > state.BestValidationMapAtR;
            var record = new EpochRecord(epoch + 1, lossSum / step, groups[0].LearningRate,
                groups.Count > 1 ? groups[1].LearningRate : 0, scores, epochClock.Elapsed.TotalSeconds, images / trainSeconds, improved);
            var waited = improved ? 0 : state.EpochsWithoutImprovement + 1;
            state = state with
            {
                CompletedEpochs = epoch + 1,
                BestEpoch = improved ? epoch + 1 : state.BestEpoch,
                BestValidationMapAtR = improved ? scores.MapAtR : state.BestValidationMapAtR,
                EpochsWithoutImprovement = waited,
                Stopped = waited >= _options.Patience,
                History = [.. state.History, record],
            };
            if (improved) CheckpointFile.Save(_run.BestCheckpoint, state, _model, _loss, null);
            CheckpointFile.Save(_run.LastCheckpoint, state, _model, _loss, optimizer);
            _run.WriteMetrics(state.History);
            LearningCurvePlot.Save(_run.LearningCurve, state.History, $"{_options.Loss} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(_options.DataRoot))}");
            _progress.Message(Describe(record));
            if (state.Stopped) _progress.Message($"early stop: validation MAP@R has not improved for {waited} epoch(s) (patience {_options.Patience})");
        }
        return Finish(state, clock.Elapsed.TotalSeconds);
    }

    private double TrainStep(OptimizerHelper optimizer, IReadOnlyList<Parameter> clipped, TrainBatch batch, int epoch, int step)
    {
        using var scope = NewDisposeScope();
        var s = batch.ImageSize;
        var x = tensor(batch.Pixels, [batch.Count, 3, s, s]).to(_device);
        var y = tensor(batch.Labels).to(_device);
        var loss = _loss.forward(_model.forward(x), y);
        var value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException($"the loss became {value} at epoch {epoch + 1}, step {step + 1}; lower --lr or --loss-lr-ratio");
        optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(clipped, _options.GradientClipNorm);
        optimizer.step();
        return value;
    }

    private OptimizerHelper CreateOptimizer(IReadOnlyList<Parameter> modelParameters, IReadOnlyList<Parameter> lossParameters)
    {
        var groups = new List<AdamW.ParamGroup> { new(modelParameters, _options.LearningRate, weight_decay: _options.WeightDecay) };
        if (lossParameters.Count > 0)
            groups.Add(new AdamW.ParamGroup(lossParameters, _options.LearningRate * _options.LossLearningRateRatio, weight_decay: _options.WeightDecay));
        return optim.AdamW(groups, _options.LearningRate, weight_decay: _options.WeightDecay);
    }

    private TrainingState StartOrResume(OptimizerHelper optimizer)
    {
        var config = JsonSerializer.Serialize(_options with { Resume = false }, TrainingJson.Indented);
        if (_options.Resume && File.Exists(_run.LastCheckpoint))
        {
            if (File.Exists(_run.Config) && File.ReadAllText(_run.Config) != config)
                throw new InvalidOperationException($"--resume: the settings differ from {_run.Config}; resume with the same settings or choose another --name");
            var resumed = CheckpointFile.Load(_run.LastCheckpoint, _model, _loss, optimizer);
            _progress.Message($"resumed {_run.LastCheckpoint} after epoch {resumed.CompletedEpochs} (best validation MAP@R {resumed.BestValidationMapAtR:F4} at epoch {resumed.BestEpoch})");
            _run.WriteMetrics(resumed.History);
            return resumed;
        }
        if (!_options.Resume && File.Exists(_run.LastCheckpoint))
            throw new InvalidOperationException($"{_run.Path} already holds a run; pass --resume to continue it or choose another --name");
        AtomicFile.WriteAllText(_run.Config, config);
        _progress.Message("evaluating the untrained network on the test split");
        var untrained = TestScores();
        _progress.Message($"untrained test: {Format(untrained)}");
        return TrainingState.Initial(_options.Seed, untrained);
    }

    private TrainingResult Finish(TrainingState state, double seconds)
    {
        if (state.History.Count == 0 || !File.Exists(_run.BestCheckpoint))
            throw new InvalidOperationException($"no epoch finished; {_run.BestCheckpoint} is missing");
        CheckpointFile.Load(_run.BestCheckpoint, _model, _loss, null);
        var test = TestScores(_run.TestGrid);
        var result = new TrainingResult(_options.Loss, state.BestEpoch, state.CompletedEpochs, state.History[state.BestEpoch - 1].Validation,
            state.UntrainedTest ?? throw new InvalidDataException("the checkpoint lacks the untrained test metrics"), test, seconds);
        AtomicFile.WriteAllText(_run.TestMetrics, JsonSerializer.Serialize(result, TrainingJson.Indented));
        _progress.Message($"untrained test: {Format(result.UntrainedTest)}");
        _progress.Message($"trained test (best epoch {state.BestEpoch}): {Format(test)}");
        _progress.Message(string.Create(CultureInfo.InvariantCulture, $"test MAP@R gain: x{result.MapAtRGain:F2}; wrote {_run.TestMetrics}"));
        return result;
    }

    private RetrievalReport TestScores(string? gridPath = null) =>
        new EvalSet(_sets.TestQuery, _sets.TestGallery, this).Score(_options.RecallAtK, gridPath);

    private static string Describe(EpochRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {r.Epoch}: loss {r.Loss:F4} lr {r.LearningRate:G3} val {Format(r.Validation)} {r.ImagesPerSecond:F0} img/s {r.Seconds:F1}s{(r.IsBest ? " *best*" : "")}");

    private static string Format(RetrievalReport s) => string.Create(CultureInfo.InvariantCulture,
        $"P@1 {s.PrecisionAt1:F4} RP {s.RPrecision:F4} MAP@R {s.MapAtR:F4} ({s.Queries} queries)");

    /// <summary>An evaluation set: queries and, for In-Shop layout, a separate gallery; decoded images cached.</summary>
    private sealed class EvalSet(IReadOnlyList<LabeledImage> queries, IReadOnlyList<LabeledImage>? gallery, Trainer owner)
    {
        private readonly ImageStore _queryImages = new(queries.Select(i => i.Path).ToList(), owner._cacheBytes);
        private readonly ImageStore? _galleryImages = gallery is null ? null : new(gallery.Select(i => i.Path).ToList(), owner._cacheBytes);

        /// <summary>Scores the set; with <paramref name="gridPath"/>, also draws its qualitative grid there.</summary>
        public RetrievalReport Score(IReadOnlyList<int> recallAtK, string? gridPath = null)
        {
            var q = Embed(_queryImages);
            var qLabels = queries.Select(i => i.Label).ToArray();
            int dim = q.Length == 0 ? 1 : q[0].Length;
            var flatQ = q.SelectMany(v => v).ToArray();
            var flatG = _galleryImages is null ? flatQ : Embed(_galleryImages).SelectMany(v => v).ToArray();
            if (gridPath is not null) TestGrid.Save(gridPath, queries, flatQ, gallery ?? queries, flatG, dim, owner._options.DataRoot);
            if (_galleryImages is null)
                return RetrievalMetrics.EvaluateExact(flatQ, qLabels, flatQ, qLabels, dim, EvaluationMode.QueryIsReference, recallAtK);
            return RetrievalMetrics.EvaluateExact(flatQ, qLabels, flatG, gallery!.Select(i => i.Label).ToArray(), dim, EvaluationMode.QueryVsGallery, recallAtK);
        }

        private float[][] Embed(ImageStore images)
        {
            var o = owner._options;
            var spec = new PreprocessSpec(o.EvalResize, o.ImageSize);
            return Embedder.Embed(owner._model, new EvalBatchBuilder(images, spec, o.EvalBatchSize), o.ImageSize, owner._device, o.PrefetchBatches);
        }
    }
}
