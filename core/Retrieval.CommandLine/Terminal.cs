using Spectre.Console;

namespace Retrieval.CommandLine;

/// <summary>
/// Whether standard output is a terminal, and Spectre.Console consoles that follow it: colours, live displays and the
/// terminal's width on a terminal; plain text (no escape codes) and wide lines when output goes to a file or a pipe.
/// </summary>
public static class Terminal
{
    /// <summary>Width of tables written to a file or pipe, so each row stays on one line of a log.</summary>
    public const int PlainWidth = 200;

    /// <summary>True when standard output is a terminal that takes escape codes (not redirected, TERM not "dumb").</summary>
    public static bool IsInteractive =>
        !Console.IsOutputRedirected && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>A console for standard output (installed as <see cref="AnsiConsole.Console"/> by <see cref="CommandLineApp"/>).</summary>
    public static IAnsiConsole Stdout() => For(Console.Out, IsInteractive);

    /// <summary>A console writing to <paramref name="output"/>: ANSI only when <paramref name="interactive"/>.</summary>
    public static IAnsiConsole For(TextWriter output, bool interactive)
    {
        if (interactive)
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = PlainWidth;
        return console;
    }
}
