using System.Globalization;
using Spectre.Console;

namespace Retrieval.Train.Training;

/// <summary>A Spectre.Console progress bar per epoch (loss, images/s, ETA) for an interactive terminal.</summary>
public sealed class ConsoleProgress : ITrainingProgress
{
    private readonly ProgressContext _context;
    private ProgressTask? _task;
    private int _epoch;
    private int _epochs;

    private ConsoleProgress(ProgressContext context) => _context = context;

    /// <summary>Runs <paramref name="body"/> with a live progress display; plain lines when output is not a terminal.</summary>
    public static T Run<T>(Func<ITrainingProgress, T> body)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return body(new PlainProgress(Console.Out));
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => body(new ConsoleProgress(ctx)));
    }

    public void StartEpoch(int epoch, int epochs, int steps)
    {
        (_epoch, _epochs) = (epoch, epochs);
        _task?.StopTask();
        _task = _context.AddTask($"epoch {epoch}/{epochs}", maxValue: steps);
    }

    public void Step(int step, double meanLoss, double imagesPerSecond, TimeSpan eta)
    {
        if (_task is null) return;
        _task.Value = step;
        _task.Description = string.Create(CultureInfo.InvariantCulture,
            $"epoch {_epoch}/{_epochs} loss {meanLoss:F4} {imagesPerSecond:F0} img/s ETA {eta:hh\\:mm\\:ss}");
    }

    public void Message(string line) => AnsiConsole.MarkupLine(Markup.Escape(line));
}
