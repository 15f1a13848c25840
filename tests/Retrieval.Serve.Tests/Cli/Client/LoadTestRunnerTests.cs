using Grpc.Core;
using Retrieval.Cli.Client;

namespace Retrieval.Serve.Tests.Cli.Client;

public class LoadTestRunnerTests
{
    [Theory]
    [InlineData(0.50, 3.0)]   // ceil(0.5*5) = 3rd smallest
    [InlineData(0.95, 5.0)]   // ceil(4.75) = 5th
    [InlineData(0.20, 1.0)]   // ceil(1.0) = 1st
    public void Percentile_is_nearest_rank(double p, double expected) =>
        Assert.Equal(expected, LoadTestRunner.Percentile([1, 2, 3, 4, 5], p));

    [Fact]
    public async Task Every_query_is_sent_and_counted()
    {
        var service = new ScriptedRetrievalService(StatusCode.OK, 0);
        await using var host = await TestGrpcHost.StartAsync(service);
        using var channel = RetrievalChannel.Create("http://localhost", handler: host.CreateHandler());
        var seen = new List<int>();
        var report = await new LoadTestRunner(channel, "test").RunAsync([[1], [2, 2]], count: 25, concurrency: 3, k: 1,
            (done, _, _) => { lock (seen) seen.Add(done); });
        Assert.Equal(25, report.Answered);
        Assert.Equal(0, report.Retried);
        Assert.Equal(25, service.Calls);
        Assert.Equal(Enumerable.Range(1, 25), seen.Order());
    }

    [Fact]
    public async Task Bad_arguments_name_the_option()
    {
        await using var host = await TestGrpcHost.StartAsync(new ScriptedRetrievalService(StatusCode.OK, 0));
        using var channel = RetrievalChannel.Create("http://localhost", handler: host.CreateHandler());
        var runner = new LoadTestRunner(channel, "test");
        Assert.Contains("--count", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([[1]], 0, 1, 1))).Message);
        Assert.Contains("--concurrency", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([[1]], 1, 0, 1))).Message);
        Assert.Contains("--k", (await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync([[1]], 1, 1, 0))).Message);
    }
}
