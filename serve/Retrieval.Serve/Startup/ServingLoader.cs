using Grpc.Health.V1;
using Grpc.HealthCheck;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Startup;

/// <summary>Loads model and gallery after the server starts listening, then flips gRPC health to SERVING; a load failure is logged and stops the server with exit code 1.</summary>
public sealed class ServingLoader(RetrievalEngine engine, HealthServiceImpl health, IHostApplicationLifetime lifetime, ILogger<ServingLoader> logger) : BackgroundService
{
    /// <summary>Service name reported by the health service besides the overall "" entry.</summary>
    public const string ServiceName = "retrieval.v1.Retrieval";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SetHealth(HealthCheckResponse.Types.ServingStatus.NotServing);
        try
        {
            await engine.StartAsync(stoppingToken);
            SetHealth(HealthCheckResponse.Types.ServingStatus.Serving);
            logger.LogInformation("Serving: model {Sha}, {Count} gallery items", engine.State.Model.Info.Sha256, engine.State.Gallery.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e)
        {
            logger.LogCritical("Cannot start serving: {Message}", e.Message);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private void SetHealth(HealthCheckResponse.Types.ServingStatus status)
    {
        health.SetStatus("", status);
        health.SetStatus(ServiceName, status);
    }
}
