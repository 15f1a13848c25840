using System.Net;
using System.Net.Sockets;
using Retrieval.CommandLine.Tests;
using Retrieval.Serve.Tests.Eval;

namespace Retrieval.Serve.Tests.Cli;

/// <summary>The `retrieval` executable as scripts run it: the shared exit codes, one error line on standard error, plain output.</summary>
[Collection("TorchSharp")]
public sealed class CliProcessTests(InShopEvalFixture fixture) : IClassFixture<InShopEvalFixture>
{
    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task AMissingImageIsOneErrorLineOnStandardErrorAndExitOne()
    {
        // Before: "error: image file not found" on the invocation's error writer, exit 2 (and RPC errors on another stream).
        var (exit, output, error) = await AppProcess.RunAsync("retrieval", ["query", "/nonexistent/q.png", "--server", "http://127.0.0.1:1"]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval query", "image file not found: /nonexistent/q.png");
        Assert.Equal("", output);
    }

    [Fact]
    public async Task AnUnreachableServerIsAUserErrorWithItsStatus()
    {
        var (exit, _, error) = await AppProcess.RunAsync("retrieval", ["health", "--server", $"http://127.0.0.1:{ClosedPort()}", "--timeout", "20"]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval health", "Unavailable");
    }

    [Fact]
    public async Task ACommandLineThatDoesNotParseIsExitTwo()
    {
        var (exit, output, error) = await AppProcess.RunAsync("retrieval", ["eval", "--batch", "many"]);
        Assert.Equal(2, exit);
        Assert.Contains("retrieval eval: usage: ", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task EvalTablesArePlainTextWhenRedirected()
    {
        // Before: Spectre.Console wrote colour codes (the table's title) into redirected output whenever TERM named a colour terminal.
        var outDir = Path.Combine(fixture.Root, "process-eval");
        var (exit, output, error) = await AppProcess.RunAsync("retrieval",
            ["eval", "--model", fixture.ModelPath, "--data", fixture.DataRoot, "--out", outDir, "--batch", "5", "--threads", "1"]);
        Assert.True(exit == 0, error);
        Assert.Contains("MAP@R", output);
        Assert.Contains("embedding images: 30/30", output);
        AppProcess.AssertPlain(output + error);
    }
}
