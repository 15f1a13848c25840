using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;

namespace Retrieval.CommandLine;

/// <summary>
/// Runs an executable's root command under the one error policy: a command line that does not parse is reported on
/// standard error (exit <see cref="ExitCodes.Usage"/>), exceptions are reported by <see cref="ErrorPolicy"/>, and
/// Spectre.Console writes plain text when standard output is not a terminal. Every Program.cs ends with this call.
/// </summary>
public static class CommandLineApp
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the process exit code.</summary>
    /// <param name="error">Where errors go (standard error unless a test captures them).</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? error = null)
    {
        error ??= Console.Error;
        AnsiConsole.Console = Terminal.Stdout();
        var parse = root.Parse(args);
        string command = CommandPath(parse);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
                error.WriteLine($"{command}: usage: {problem.Message}");
            error.WriteLine($"{command}: usage: see '{command} --help'");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error });
        }
        catch (Exception e)
        {
            return ErrorPolicy.Report(e, command, error);
        }
    }

    /// <summary>The synchronous form of <see cref="RunAsync"/>.</summary>
    public static int Run(RootCommand root, string[] args, TextWriter? error = null) =>
        RunAsync(root, args, error).GetAwaiter().GetResult();

    /// <summary>"retrieval eval": the executable's name and the chosen subcommands.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
