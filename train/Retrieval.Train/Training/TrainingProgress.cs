using System.Globalization;
using Retrieval.CommandLine;

namespace Retrieval.Train.Training;

/// <summary>The trainer's progress on the shared <see cref="ConsoleProgress"/>: one piece of work per epoch, loss, images/s and ETA beside the count.</summary>
public sealed class TrainingProgress(ConsoleProgress progress) : ITrainingProgress
{
    /// <summary>Plain lines to <paramref name="output"/> (a log, a test).</summary>
    public static TrainingProgress Plain(TextWriter output) => new(ConsoleProgress.Plain(output));

    public void StartEpoch(int epoch, int epochs, int steps) =>
        progress.Start(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}/{epochs}"), steps);

    public void Step(int step, double meanLoss, double imagesPerSecond, TimeSpan eta) =>
        progress.Report(step, string.Create(CultureInfo.InvariantCulture, $"loss {meanLoss:F4} {imagesPerSecond:F0} img/s ETA {eta:hh\\:mm\\:ss}"));

    public void Message(string line) => progress.Message(line);
}
