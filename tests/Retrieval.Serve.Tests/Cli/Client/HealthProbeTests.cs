using Grpc.Core;
using Grpc.Health.V1;
using Retrieval.Cli.Client;

namespace Retrieval.Serve.Tests.Cli.Client;

public class HealthProbeTests
{
    [Theory]
    [InlineData(true, HealthCheckResponse.Types.ServingStatus.Serving)]
    [InlineData(false, HealthCheckResponse.Types.ServingStatus.NotServing)]
    public async Task Reports_the_servers_health_status(bool healthy, HealthCheckResponse.Types.ServingStatus expected)
    {
        await using var host = await TestGrpcHost.StartAsync(new ScriptedRetrievalService(StatusCode.OK, 0), healthy);
        using var channel = RetrievalChannel.Create("http://localhost", handler: host.CreateHandler());
        Assert.Equal(expected, await HealthProbe.CheckAsync(channel, "", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Unknown_service_is_NotFound()
    {
        await using var host = await TestGrpcHost.StartAsync(new ScriptedRetrievalService(StatusCode.OK, 0));
        using var channel = RetrievalChannel.Create("http://localhost", handler: host.CreateHandler());
        var e = await Assert.ThrowsAsync<RpcException>(() => HealthProbe.CheckAsync(channel, "no.such.Service", TimeSpan.FromSeconds(5)));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
