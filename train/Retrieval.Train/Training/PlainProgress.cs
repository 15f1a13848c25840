using System.Globalization;

namespace Retrieval.Train.Training;

/// <summary>Progress as plain lines (for redirected output and logs): about ten lines per epoch.</summary>
public sealed class PlainProgress(TextWriter output) : ITrainingProgress
{
    private int _epoch;
    private int _epochs;
    private int _steps;

    public void StartEpoch(int epoch, int epochs, int steps) => (_epoch, _epochs, _steps) = (epoch, epochs, steps);

    public void Step(int step, double meanLoss, double imagesPerSecond, TimeSpan eta)
    {
        var every = Math.Max(1, _steps / 10);
        if (step % every != 0 && step != _steps) return;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"epoch {_epoch}/{_epochs} step {step}/{_steps} loss {meanLoss:F4} {imagesPerSecond:F0} img/s ETA {eta:hh\\:mm\\:ss}"));
        output.Flush();
    }

    public void Message(string line)
    {
        output.WriteLine(line);
        output.Flush();
    }
}
