using System.Text.Json;
using Retrieval.CommandLine.Tests;
using Retrieval.Serve.Tests.Cli;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Bench;

/// <summary>The `retrieval-bench` executable: the shared exit codes, one error line, plain tables when redirected, snake_case JSON.</summary>
public sealed class BenchProcessTests : TempDirectoryTest
{
    [Fact]
    public async Task ABadSettingIsOneErrorLineAndExitOne()
    {
        // Before: "losses: need batch sizes ..." and exit 2.
        var (exit, _, error) = await AppProcess.RunAsync("retrieval-bench", ["losses", "--batch-sizes", "1", "--json", Path.Combine(Dir, "l.json")]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval-bench losses", "--batch-sizes");
    }

    [Fact]
    public async Task ALoadRunAgainstNoServerPrintsAPlainTableWritesJsonAndFails()
    {
        var images = Directory.CreateDirectory(Path.Combine(Dir, "img")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(images, "q.png"), [1, 2, 3]);
        var json = Path.Combine(Dir, "load.json");
        var (exit, output, error) = await AppProcess.RunAsync("retrieval-bench",
            ["load", "--server", $"http://127.0.0.1:{CliProcessTests.ClosedPort()}", "--data", images, "--seconds", "0.5", "--clients", "1", "--json", json]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval-bench load", "external: ");
        Assert.Contains("gRPC Search load", output);
        AppProcess.AssertPlain(output);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var run = report.RootElement[0];
        Assert.Equal("external", run.GetProperty("mode").GetString());
        Assert.True(run.GetProperty("report").GetProperty("failed").GetInt32() > 0);
        Assert.Equal(0, run.GetProperty("report").GetProperty("answered").GetInt32());
        Assert.True(run.GetProperty("report").GetProperty("failed_by_status").TryGetProperty("Unavailable", out _));
    }
}
