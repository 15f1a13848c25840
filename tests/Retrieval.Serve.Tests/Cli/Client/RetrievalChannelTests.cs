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

    [Theory]
    // UNAVAILABLE twice, then an answer: the third attempt answers and the call counts as retried.
    [InlineData(StatusCode.Unavailable, 2, 5, 3, true, null)]
    // Any other failure is final: one attempt, reported with its status.
    [InlineData(StatusCode.InvalidArgument, 1, 5, 1, false, "InvalidArgument")]
    // UNAVAILABLE every time: exactly max-attempts tries, then the call fails UNAVAILABLE.
    [InlineData(StatusCode.Unavailable, 100, 3, 3, false, "Unavailable")]
    // --max-attempts 1: no retry at all (a write refused while the database is down is reported at once).
    [InlineData(StatusCode.Unavailable, 100, 1, 1, false, "Unavailable")]
    public async Task Only_unavailable_is_retried_up_to_max_attempts(StatusCode failWith, int failures, int maxAttempts,
        int expectedCalls, bool expectedRetried, string? expectedFailure)
    {
        var (report, calls) = await RunOnce(failWith, failures, maxAttempts);
        Assert.Equal(expectedCalls, calls);
        Assert.Equal(expectedFailure is null ? 1 : 0, report.Answered);
        Assert.Equal(expectedRetried ? 1 : 0, report.Retried);
        if (expectedFailure is null) Assert.Empty(report.FailedByStatus);
        else Assert.Equal(1, report.FailedByStatus[expectedFailure]);
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

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Max_attempts_out_of_range_is_rejected(int attempts) =>
        Assert.Contains("--max-attempts", Assert.Throws<ArgumentException>(() => RetrievalChannel.Create("http://h:1", attempts)).Message);
}
