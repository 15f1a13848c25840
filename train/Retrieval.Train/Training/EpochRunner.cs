using System.Diagnostics;
using Retrieval.Train.Data;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// Runs training epochs: the sampler plans the epoch's class-balanced batches, a background task builds them (decode,
/// augment) a few batches ahead, and each becomes one optimisation step. Device reads are kept off the step: the
/// loss's input values are checked on the first step of each epoch (every step with --check-every-step), labels stay
/// on the CPU, and the loss value is read back every step on the CPU but only every <see cref="DeviceReadInterval"/>
/// steps (and at the epoch's end) on a GPU.
/// </summary>
public sealed class EpochRunner
{
    /// <summary>Steps between loss read-backs on a GPU (each read waits for the device to finish the queued steps).</summary>
    public const int DeviceReadInterval = 25;

    private readonly TrainOptions _options;
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly MetricLoss _loss;
    private readonly Device _device;
    private readonly ITrainingProgress _progress;
    private readonly ClassBalancedSampler _sampler;
    private readonly TrainBatchBuilder _batches;
    private readonly Stopwatch _stepClock = new();
    private int _stepsTimed;

    public EpochRunner(TrainOptions options, IReadOnlyList<LabeledImage> train, nn.Module<Tensor, Tensor> model, MetricLoss loss, Device device, ITrainingProgress progress)
    {
        (_options, _model, _loss, _device, _progress) = (options, model, loss, device, progress);
        var labels = train.Select(i => i.Label).ToList();
        _sampler = new ClassBalancedSampler(labels, options.ClassesPerBatch, options.ImagesPerClass, options.Seed);
        var images = new ImageStore(train.Select(i => i.Path).ToList(), (long)options.CacheMegabytes << 20);
        _batches = new TrainBatchBuilder(images, labels, options.ImageSize, options.CropScaleMin, options.Seed);
    }

    /// <summary>Optimisation steps per epoch.</summary>
    public int StepsPerEpoch => _sampler.BatchesPerEpoch;

    /// <summary>Trains epoch <paramref name="epoch"/> (0-based) with <paramref name="optimizer"/>.</summary>
    public EpochOutcome Run(int epoch, TrainingOptimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        // Head warm-up: the optimizer was built with every trainable parameter; the backbone's get no gradients (and
        // cost no backward pass) until the warm-up epochs are over.
        if (_model is EmbeddingNetwork network) network.TrainBackbone(epoch >= _options.HeadWarmupEpochs);
        _model.train();
        var plan = _sampler.PlanEpoch(epoch);
        _progress.StartEpoch(epoch + 1, _options.Epochs, plan.Length);
        var readEvery = _device.type == DeviceType.CPU ? 1 : DeviceReadInterval;
        using var meter = new LossMeter();
        var images = 0;
        var step = 0;
        foreach (var batch in Prefetcher.Run(plan.Length, b => _batches.Build(epoch, b, plan[b]), _options.PrefetchBatches))
        {
            _stepClock.Start();
            optimizer.Schedule(epoch, step);
            using (var scope = NewDisposeScope())
            {
                var loss = Forward(batch, step);
                meter.Add(loss);
                if ((step + 1) % readEvery == 0) meter.Read(epoch, step);
                optimizer.Step(loss);
            }
            _stepClock.Stop();
            _stepsTimed++;
            images += batch.Count;
            step++;
            var remaining = (_options.Epochs - epoch - 1) * (long)plan.Length + plan.Length - step;
            _progress.Step(step, meter.Mean, images / clock.Elapsed.TotalSeconds,
                TimeSpan.FromSeconds(_stepClock.Elapsed.TotalSeconds / _stepsTimed * remaining));
        }
        meter.Read(epoch, step - 1);
        return new EpochOutcome(meter.Mean, images, clock.Elapsed.TotalSeconds);
    }

    private Tensor Forward(TrainBatch batch, int step)
    {
        var s = batch.ImageSize;
        var x = DeviceUpload.To(tensor(batch.Pixels, [batch.Count, 3, s, s]), _device);
        // Labels stay on the CPU: the loss builds its class structure from them without reading the device back.
        var y = tensor(batch.Labels);
        _loss.CheckValues = step == 0 || _options.CheckEveryStep;
        return _loss.forward(_model.forward(x), y);
    }

    /// <summary>Sums step losses on the device and reads them back only when asked; a non-finite loss stops the run.</summary>
    private sealed class LossMeter : IDisposable
    {
        private Tensor? _unread;
        private int _unreadSteps;
        private double _sum;
        private int _readSteps;

        /// <summary>Mean loss of the steps read so far (NaN before the first read).</summary>
        public double Mean => _readSteps == 0 ? double.NaN : _sum / _readSteps;

        public void Add(Tensor loss)
        {
            var next = _unread is null ? loss.detach().to_type(ScalarType.Float64) : _unread + loss.detach().to_type(ScalarType.Float64);
            _unread?.Dispose();
            _unread = next.DetachFromDisposeScope();
            _unreadSteps++;
        }

        public void Read(int epoch, int lastStep)
        {
            if (_unread is null) return;
            var value = _unread.item<double>();
            if (!double.IsFinite(value))
                throw new InvalidOperationException(_unreadSteps == 1
                    ? $"the loss became {value} at epoch {epoch + 1}, step {lastStep + 1}; lower --lr or --loss-lr-ratio"
                    : $"the loss became {value} at epoch {epoch + 1}, steps {lastStep + 2 - _unreadSteps}-{lastStep + 1}; lower --lr or --loss-lr-ratio");
            _sum += value;
            _readSteps += _unreadSteps;
            Dispose();
        }

        public void Dispose()
        {
            _unread?.Dispose();
            _unread = null;
            _unreadSteps = 0;
        }
    }
}
