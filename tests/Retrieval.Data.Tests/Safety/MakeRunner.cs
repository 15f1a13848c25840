using System.Diagnostics;
using System.Text;

namespace Retrieval.Data.Tests.Safety;

/// <summary>Runs `make` targets of this repository (found above the test binary) as a user would, capturing the output.</summary>
internal static class MakeRunner
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs make with the given targets and variables; returns the exit code and stdout + stderr.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("make") { WorkingDirectory = RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--no-print-directory");
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"make {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }
        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RetrievalSystem.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"no RetrievalSystem.sln above {AppContext.BaseDirectory}");
    }
}
