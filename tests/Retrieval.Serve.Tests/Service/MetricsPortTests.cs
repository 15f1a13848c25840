using System.Net;
using Grpc.Health.V1;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Service;

/// <summary>/metrics answers on the metrics port only: a Host header naming that port does not reach it through the gRPC port.</summary>
public sealed class MetricsPortTests : TempDirectoryTest
{

    [Fact]
    public async Task MetricsAreServedOnTheMetricsPortOnlyWhateverTheHostHeaderSays()
    {
        int port = ServingHost.FreePort(), metricsPort = ServingHost.FreePort();
        var settings = FakeServerSettings(0);
        (settings["Port"], settings["MetricsPort"]) = (port.ToString(), metricsPort.ToString());
        await using var host = ServingHost.StartKestrel(settings, fakes: true);
        await host.WaitForAsync(HealthCheckResponse.Types.ServingStatus.Serving);

        using var http = new HttpClient();
        var metrics = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("retrieval_requests_total", await metrics.Content.ReadAsStringAsync());

        // The gRPC port speaks HTTP/2 only; ask it for /metrics with the Host header of the metrics port.
        using var h2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var hostHeader in new[] { $"127.0.0.1:{metricsPort}", $"localhost:{metricsPort}", $"anything:{metricsPort}" })
        {
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
            spoofed.Headers.Host = hostHeader;
            using var response = await h2.SendAsync(spoofed);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("retrieval_requests_total", await response.Content.ReadAsStringAsync());
        }
    }
}
