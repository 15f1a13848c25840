using System.Diagnostics;
using Retrieval.Data.Tests.Safety;

namespace Retrieval.CommandLine.Tests;

/// <summary>`make test` installs nothing: with a Debian package missing it stops at once with one line naming `make deps`.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MakeDepsTests : IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("fake-dpkg-").FullName;

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    [Fact]
    public void MakeTestStopsNamingMakeDepsAndNeverRunsAptGet()
    {
        // A dpkg that knows no package, and an apt-get/sudo that record being called.
        string calls = Path.Combine(_bin, "calls");
        Fake("dpkg", "exit 1");
        Fake("apt-get", $"echo apt-get >> {calls}; exit 0");
        Fake("sudo", $"echo sudo >> {calls}; exit 0");
        Fake("dotnet", $"echo dotnet >> {calls}; exit 1");   // and never the test run itself, should the check let it through
        var (exit, output) = Make("test");
        Assert.NotEqual(0, exit);
        var lines = output.Trim().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("make test needs the Debian package(s) python3-onnx python3-numpy jq chromium postgresql", StringComparison.Ordinal) && l.Contains("run 'make deps'"));
        Assert.DoesNotContain(lines, l => l.Contains("dotnet test", StringComparison.Ordinal));
        Assert.False(File.Exists(calls), "make test ran apt-get, sudo or dotnet");
    }

    private void Fake(string name, string body)
    {
        string path = Path.Combine(_bin, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (int ExitCode, string Output) Make(string target)
    {
        var start = new ProcessStartInfo("make") { WorkingDirectory = MakeRunner.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--no-print-directory");
        start.ArgumentList.Add(target);
        start.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(entireProcessTree: true); throw new TimeoutException($"make {target}"); }
        return (process.ExitCode, output.Result + error.Result);
    }
}
