using System.Diagnostics;
using System.Text.Json;

namespace Retrieval.Bench;

/// <summary>Runs one benchmark helper process to completion and parses the JSON object it prints last.</summary>
public static class IndexProcess
{
    /// <summary>Runs exe with the arguments; throws with its stderr when it fails.</summary>
    public static JsonElement RunJson(string exe, IEnumerable<string> args, string hint)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{exe} {string.Join(' ', psi.ArgumentList)} failed (exit {process.ExitCode}); {hint}\n{errors.Result}");
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"{exe} printed nothing.");
        return JsonDocument.Parse(last).RootElement.Clone();
    }
}
