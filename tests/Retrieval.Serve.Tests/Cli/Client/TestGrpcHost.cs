using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Retrieval.Serve.Tests.Cli.Client;

/// <summary>An in-memory gRPC server hosting a <see cref="ScriptedRetrievalService"/> and the gRPC health service.</summary>
public sealed class TestGrpcHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGrpcHost(WebApplication app) => _app = app;

    /// <summary>Starts the host; the health service reports SERVING when <paramref name="healthy"/>.</summary>
    public static async Task<TestGrpcHost> StartAsync(ScriptedRetrievalService service, bool healthy = true)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var health = new HealthServiceImpl();
        health.SetStatus("", healthy ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing);
        builder.Services.AddSingleton(health);
        var app = builder.Build();
        app.MapGrpcService<ScriptedRetrievalService>();
        app.MapGrpcService<HealthServiceImpl>();
        await app.StartAsync();
        return new TestGrpcHost(app);
    }

    /// <summary>A transport into the in-memory server.</summary>
    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
