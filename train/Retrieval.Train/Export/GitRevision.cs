using System.Diagnostics;

namespace Retrieval.Train.Export;

/// <summary>Reads the current git commit for model metadata.</summary>
public static class GitRevision
{
    /// <summary>`git rev-parse HEAD` in the working directory (with "-dirty" when there are uncommitted changes), or "unknown".</summary>
    public static string Current()
    {
        var head = Git("rev-parse HEAD");
        if (head is null) return "unknown";
        var status = Git("status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "-dirty";
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;   // git not installed
        }
    }
}
