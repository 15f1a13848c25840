using System.Diagnostics;

namespace Retrieval.Serve.Tests.Web;

/// <summary>
/// Debian's chromium for the browser tests (Playwright's own browser download is unreachable here): installed with apt
/// when missing, as the other targets install their Debian packages. apt runs under `flock /tmp/apt.lock` and is retried
/// while another apt/dpkg holds its lock (several engineers and CI may install at once).
/// </summary>
public static class Chromium
{
    /// <summary>Where Debian puts the browser.</summary>
    public const string Executable = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Once = new(1, 1);

    /// <summary>The browser's path, installing the package first when it is missing.</summary>
    public static async Task<string> EnsureInstalledAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (File.Exists(Executable)) return Executable;
            var sudo = Environment.UserName == "root" ? "" : "sudo ";
            var install = $"{sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium";
            for (int attempt = 1; !File.Exists(Executable); attempt++)
            {
                var (exit, output) = await RunAsync($"flock /tmp/apt.lock sh -c '{sudo}apt-get update -qq && {install}'");
                if (exit == 0 && File.Exists(Executable)) break;
                bool locked = output.Contains("Could not get lock", StringComparison.Ordinal) || output.Contains("is held by process", StringComparison.Ordinal);
                if (!locked || attempt >= 20)
                    throw new InvalidOperationException($"installing chromium with apt failed (exit {exit}); install it by hand: apt-get install chromium\n{output}");
                await Task.Delay(TimeSpan.FromSeconds(15));
            }
            return Executable;
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
