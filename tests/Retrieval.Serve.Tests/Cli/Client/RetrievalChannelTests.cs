using Grpc.Core;
using Retrieval.Cli.Client;

namespace Retrieval.Serve.Tests.Cli.Client;

public class RetrievalChannelTests
{
    private static readonly byte[][] Images = [[1, 2, 3]];

    private static async Task<(LoadTestReport Report, int Calls)> RunOnce(StatusCode failWith, int failures, int maxAttempts)
    {
        var service = new ScriptedRetrievalService(failWith, failures);
        await using var host = await TestGrpcHost.StartAsync(service);
        using var channel = RetrievalChannel.Create("http://localhost", maxAttempts, host.CreateHandler());
        var report = await new LoadTestRunner(channel, "test").RunAsync(Images, count: 1, concurrency: 1, k: 3);
        return (report, service.Calls);
    }

    [Fact]
    public async Task Unavailable_is_retried_until_answered()
    {
        var (report, calls) = await RunOnce(StatusCode.Unavailable, failures: 2, maxAttempts: 5);
        Assert.Equal(1, report.Answered);
        Assert.Equal(0, report.Failed);
        Assert.Equal(1, report.Retried);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Other_errors_are_not_retried()
    {
        var (report, calls) = await RunOnce(StatusCode.InvalidArgument, failures: 1, maxAttempts: 5);
        Assert.Equal(1, report.Failed);
        Assert.Equal(1, report.FailedByStatus["InvalidArgument"]);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Retries_stop_at_max_attempts()
    {
        var (report, calls) = await RunOnce(StatusCode.Unavailable, failures: 100, maxAttempts: 3);
        Assert.Equal(0, report.Answered);
        Assert.Equal(1, report.FailedByStatus["Unavailable"]);
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData("localhost:8080")]
    [InlineData("ftp://host/")]
    [InlineData("")]
    public void Bad_addresses_are_rejected_naming_the_option(string address)
    {
        var e = Assert.Throws<ArgumentException>(() => RetrievalChannel.Create(address));
        Assert.Contains("--server", e.Message);
    }

    [Fact]
    public void Max_attempts_out_of_range_is_rejected() =>
        Assert.Contains("--max-attempts", Assert.Throws<ArgumentException>(() => RetrievalChannel.Create("http://h:1", 1)).Message);
}
