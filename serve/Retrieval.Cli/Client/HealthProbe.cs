using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Retrieval.Cli.Client;

/// <summary>Asks a server's standard gRPC health service (grpc.health.v1.Health/Check) for its serving status.</summary>
public static class HealthProbe
{
    /// <summary>The status of <paramref name="service"/> ("" = the whole server); throws <see cref="RpcException"/> when unreachable.</summary>
    public static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, string service, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var client = new Health.HealthClient(channel);
        var response = await client.CheckAsync(new HealthCheckRequest { Service = service },
            deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
        return response.Status;
    }
}
