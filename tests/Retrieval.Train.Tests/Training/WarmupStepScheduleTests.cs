using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

public sealed class WarmupStepScheduleTests
{
    [Fact]
    public void WarmupRisesLinearlyPerStepThenStepsDownByGamma()
    {
        var s = new WarmupStepSchedule(warmupEpochs: 1, stepSize: 2, gamma: 0.5, stepsPerEpoch: 4);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(step => s.Factor(0, step)));
        Assert.Equal(1.0, s.Factor(1, 0));      // epoch 1: floor(1/2) = 0
        Assert.Equal(0.5, s.Factor(2, 3));      // epoch 2: gamma^1
        Assert.Equal(0.125, s.Factor(7, 0));    // epoch 7: gamma^3
    }

    [Fact]
    public void NoWarmupStartsAtTheBaseRate()
    {
        var s = new WarmupStepSchedule(0, 10, 0.25, 5);
        Assert.Equal(1.0, s.Factor(0, 0));
        Assert.Equal(0.25, s.Factor(10, 0));
    }

    [Fact]
    public void InvalidGammaIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupStepSchedule(1, 1, 1.5, 1));
}
