using System.Diagnostics;
using Retrieval.Data.Tests.Safety;

namespace Retrieval.CommandLine.Tests;

/// <summary>scripts/test-summary.sh, the last lines of `make test`: totals over every .trx, and each failed test by name.</summary>
public sealed class TestSummaryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TotalsEveryFileAndNamesEachFailedTestWithTheHeadOfItsMessage()
    {
        Trx("a/one.trx", passed: 3, failed: 1, notExecuted: 0,
            Result("Core.Tests.Recall", "Passed", null) + Result("Core.Tests.Torn", "Failed", "Assert.True() Failure\nExpected: True\nActual:   False"));
        Trx("b/two.trx", passed: 2, failed: 0, notExecuted: 1, Result("Serve.Tests.Page", "Passed", null));
        var lines = Run().Trim().Split('\n');
        Assert.Equal("FAILED Core.Tests.Torn", lines[0]);
        Assert.Equal("    Assert.True() Failure", lines[1]);
        Assert.Equal("5 passed, 1 failed, 1 skipped", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains("Recall", StringComparison.Ordinal) || l.Contains("Page", StringComparison.Ordinal));
    }

    private static string Result(string name, string outcome, string? message) =>
        $"<UnitTestResult testName=\"{name}\" outcome=\"{outcome}\">" +
        (message is null ? "" : $"<Output><ErrorInfo><Message>{System.Security.SecurityElement.Escape(message)}</Message></ErrorInfo></Output>") +
        "</UnitTestResult>";

    private void Trx(string relative, int passed, int failed, int notExecuted, string results)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">" +
            $"<Results>{results}</Results><ResultSummary outcome=\"Completed\"><Counters total=\"{passed + failed + notExecuted}\" " +
            $"executed=\"{passed + failed}\" passed=\"{passed}\" failed=\"{failed}\" error=\"0\" notExecuted=\"{notExecuted}\" /></ResultSummary></TestRun>");
    }

    private string Run()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(MakeRunner.RepositoryRoot, "scripts", "test-summary.sh"));
        start.ArgumentList.Add(_dir);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) { process.Kill(entireProcessTree: true); throw new TimeoutException("test-summary.sh"); }
        Assert.True(process.ExitCode == 0, error.Result);
        return output.Result;
    }
}
