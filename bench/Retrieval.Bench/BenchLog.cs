using Retrieval.CommandLine;

namespace Retrieval.Bench;

/// <summary>
/// The benchmarks' progress: timestamped step lines and counted work, both on the one shared
/// <see cref="ConsoleProgress"/> (a line redrawn in place on a terminal, plain lines when redirected).
/// </summary>
public static class BenchLog
{
    /// <summary>The progress reporter of this process (standard output).</summary>
    public static ConsoleProgress Progress { get; } = ConsoleProgress.ForConsole();

    /// <summary>Reports one step.</summary>
    public static void Step(string message) => Progress.Message($"[{DateTime.Now:HH:mm:ss}] {message}");
}
