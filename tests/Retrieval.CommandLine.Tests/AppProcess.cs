using System.Diagnostics;

namespace Retrieval.CommandLine.Tests;

/// <summary>
/// Runs one of the project's executables (its .dll in the test's output folder) as a child process with standard
/// output and error redirected, as make, CI and pipes run it, and with TERM set to a colour terminal so that any
/// code that decides on escape codes from TERM alone would emit them. Shared by every test project (linked).
/// </summary>
public static class AppProcess
{
    /// <summary>The exit code, standard output and standard error of <c>dotnet exec &lt;app&gt;.dll args</c>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string app, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        // A test folder holds the test's copy of shared assemblies, which can differ from an app's (the ASP.NET test host
        // takes Microsoft.Extensions.* from its framework): let the host find the app's own versions in the NuGet cache.
        if (Directory.Exists(NuGetPackages))
        {
            start.ArgumentList.Add("--additionalprobingpath");
            start.ArgumentList.Add(NuGetPackages);
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, app + ".dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }
        return (process.ExitCode, await output, await error);
    }

    private static string NuGetPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Fails when <paramref name="text"/> holds an escape code or a carriage return (what a log or a pipe must not receive).</summary>
    public static void AssertPlain(string text)
    {
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
    }

    /// <summary>The one-line report of a user error: "&lt;command&gt;: error: ...", and nothing else on standard error.</summary>
    public static void AssertOneErrorLine(string error, string command, string contains)
    {
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, $"expected one line on standard error, got:\n{error}");
        Assert.StartsWith($"{command}: error: ", lines[0]);
        Assert.Contains(contains, lines[0]);
    }
}
