using Retrieval.Core.IO;
using Spectre.Console;

namespace Retrieval.Cli;

/// <summary>Shows progress of long work: a Spectre.Console bar on a terminal, plain lines (every 10%) when redirected.</summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports (done, total) through the callback it is given.</summary>
    public static T Run<T>(string description, Func<Action<int, int>, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work(DecileProgress.To(Console.Out, description));
        return AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask(description);
            return work((done, total) =>
            {
                task.MaxValue = Math.Max(1, total);
                task.Value = done;
            });
        });
    }
}
