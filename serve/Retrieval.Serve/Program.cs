using System.Net;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
using Retrieval.Core.Storage;
using Retrieval.Serve.Inference;
using Retrieval.Serve.Replication;
using Retrieval.Serve.Service;
using Retrieval.Serve.Startup;
using Retrieval.Serve.Web;

var builder = WebApplication.CreateBuilder(args);
if (Environment.GetEnvironmentVariable(ServerOptions.StoreVariable) is { Length: > 0 } storeVariable)
    builder.Configuration.AddInMemoryCollection([new($"{ServerOptions.Section}:{nameof(ServerOptions.Store)}", storeVariable)]);
builder.Configuration.AddCommandLine(args, ServerOptions.Switches);
var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
if (StartupCheck.Problem(options, out var certificate) is { } problem)
{
    Console.Error.WriteLine($"retrieval-server: {problem}");
    return 1;
}
PostgresTarget? sharedStore;
try
{
    sharedStore = PostgresTarget.FromSetting(options.Store);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"retrieval-server: --store: {e.Message}");
    return 1;
}

builder.WebHost.ConfigureKestrel(kestrel =>
{
    var address = IPAddress.Parse(options.Host);
    kestrel.Listen(address, options.Port, listen =>
    {
        listen.Protocols = HttpProtocols.Http2;
        if (certificate is not null) listen.UseHttps(certificate);
    });
    if (options.MetricsPort > 0) kestrel.Listen(address, options.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
});

builder.Services.AddGrpc(grpc =>
{
    grpc.MaxReceiveMessageSize = options.Limits.MaxReceiveBytes;
    grpc.EnableDetailedErrors = false;
}).AddServiceOptions<RetrievalGrpcService>(service =>
{
    service.Interceptors.Add<StatusInterceptor>();
    service.Interceptors.Add<ApiKeyInterceptor>();
});
builder.Services.AddGrpcReflection();
builder.Services.Configure<ServerOptions>(builder.Configuration.GetSection(ServerOptions.Section));
builder.Services.AddSingleton<ServingMetrics>();
builder.Services.AddSingleton<HealthServiceImpl>();
builder.Services.AddSingleton<IModelLoader, OnnxModelLoader>();
builder.Services.AddSingleton<IVectorIndexFactory>(sp => new HnswIndexFactory(sp.GetRequiredService<IOptions<ServerOptions>>().Value.Hnsw));
if (sharedStore is not null) builder.Services.AddSingleton(_ => new PostgresGallery(sharedStore));
builder.Services.AddSingleton<RetrievalEngine>();
builder.Services.AddHostedService<ServingLoader>();
builder.AddSearchPage(options, certificate);

var app = builder.Build();
if (sharedStore is not null) ReplicationMetrics.Register(app.Services.GetRequiredService<ServingMetrics>(), app.Services.GetRequiredService<RetrievalEngine>());
// /metrics answers only on connections accepted by the metrics port (not by Host header, which a client chooses).
if (options.MetricsPort > 0) app.UseMetricServer(options.MetricsPort, "/metrics", app.Services.GetRequiredService<ServingMetrics>().Registry);
app.UseMiddleware<GrpcMetricsMiddleware>();
app.MapGrpcService<RetrievalGrpcService>();
app.MapGrpcService<HealthServiceImpl>();
app.MapGrpcReflectionService();
app.MapSearchPage(options);
app.Run();
return 0;

/// <summary>The server's entry point (public so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
