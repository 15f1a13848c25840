using Retrieval.Train.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// AdamW with two parameter groups — the network (parameters without requires_grad, e.g. frozen BatchNorm, left out)
/// and the loss's own parameters (mean fields, proxies) at lr x --loss-lr-ratio — whose learning rates follow the
/// warm-up + StepLR schedule; the gradients of both are clipped together to one global norm.
/// </summary>
public sealed class TrainingOptimizer : IDisposable
{
    private readonly TrainOptions _options;
    private readonly WarmupStepSchedule _schedule;
    private readonly List<Parameter> _clipped;
    private readonly IReadOnlyList<optim.ILearningRateController> _groups;

    public TrainingOptimizer(nn.Module model, MetricLoss loss, TrainOptions options, int stepsPerEpoch)
    {
        _options = options;
        _schedule = new WarmupStepSchedule(options.WarmupEpochs, options.LrStep, options.LrGamma, stepsPerEpoch);
        var modelParameters = model.parameters().Where(p => p.requires_grad).ToList();
        var lossParameters = loss.LossParameters.ToList();
        var groups = new List<AdamW.ParamGroup> { new(modelParameters, options.LearningRate, weight_decay: options.WeightDecay) };
        if (lossParameters.Count > 0)
            groups.Add(new AdamW.ParamGroup(lossParameters, options.LearningRate * options.LossLearningRateRatio, weight_decay: options.WeightDecay));
        Optimizer = optim.AdamW(groups, options.LearningRate, weight_decay: options.WeightDecay);
        _groups = Optimizer.ParamGroups.ToList();
        _clipped = [.. modelParameters, .. lossParameters];
    }

    /// <summary>The AdamW optimizer (its state goes into checkpoints).</summary>
    public OptimizerHelper Optimizer { get; }

    /// <summary>The network's current learning rate.</summary>
    public double ModelLearningRate => _groups[0].LearningRate;

    /// <summary>The loss parameters' current learning rate (0 when the loss has none).</summary>
    public double LossLearningRate => _groups.Count > 1 ? _groups[1].LearningRate : 0;

    /// <summary>Sets both learning rates for step <paramref name="step"/> of <paramref name="epoch"/>.</summary>
    public void Schedule(int epoch, int step)
    {
        var factor = _schedule.Factor(epoch, step);
        _groups[0].LearningRate = _options.LearningRate * factor;
        if (_groups.Count > 1) _groups[1].LearningRate = _options.LearningRate * _options.LossLearningRateRatio * factor;
    }

    /// <summary>Back-propagates <paramref name="loss"/>, clips the gradients and updates the parameters.</summary>
    public void Step(Tensor loss)
    {
        Optimizer.zero_grad();
        loss.backward();
        nn.utils.clip_grad_norm_(_clipped, _options.GradientClipNorm);
        Optimizer.step();
    }

    public void Dispose() => Optimizer.Dispose();
}
