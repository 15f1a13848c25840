namespace Retrieval.Train.Training;

/// <summary>
/// StepLR with linear warm-up: during the first <c>warmupEpochs</c> the factor rises linearly per step
/// from 1/(warm-up steps) to 1; afterwards it is gamma^floor(epoch / stepSize) (epochs counted from 0).
/// </summary>
public sealed class WarmupStepSchedule
{
    public WarmupStepSchedule(int warmupEpochs, int stepSize, double gamma, int stepsPerEpoch)
    {
        if (warmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(warmupEpochs), "warm-up epochs must be >= 0");
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), "the LR step size must be >= 1 epoch");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), "gamma must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        WarmupEpochs = warmupEpochs;
        StepSize = stepSize;
        Gamma = gamma;
        StepsPerEpoch = stepsPerEpoch;
    }

    public int WarmupEpochs { get; }
    public int StepSize { get; }
    public double Gamma { get; }
    public int StepsPerEpoch { get; }

    /// <summary>Multiplier of the base learning rate for step <paramref name="step"/> of <paramref name="epoch"/>.</summary>
    public double Factor(int epoch, int step)
    {
        if (epoch < WarmupEpochs)
        {
            double total = (double)WarmupEpochs * StepsPerEpoch;
            return (epoch * (double)StepsPerEpoch + step + 1) / total;
        }
        return Math.Pow(Gamma, epoch / StepSize);
    }
}
