using Spectre.Console;

namespace Retrieval.Bench;

/// <summary>Progress lines for long benchmarks: Spectre.Console markup on a terminal, plain timestamped lines when redirected.</summary>
public static class BenchLog
{
    /// <summary>Reports one step.</summary>
    public static void Step(string message)
    {
        if (Console.IsOutputRedirected) Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
        else AnsiConsole.MarkupLineInterpolated($"[grey]{DateTime.Now:HH:mm:ss}[/] {message}");
    }
}
