using System.CommandLine;
using Retrieval.CommandLine;
using Grpc.Health.V1;
using Retrieval.Cli.Client;

namespace Retrieval.Cli.Commands;

/// <summary>
/// `retrieval health`: exit 0 when the server's gRPC health service says SERVING, 1 otherwise (not serving, unreachable,
/// a bad option): what container health checks expect (Docker reserves exit code 2).
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "Server address, e.g. http://127.0.0.1:8080", Required = true };
        var service = new Option<string>("--service") { Description = "Service name to check (\"\" = the whole server)", DefaultValueFactory = _ => "" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 3.0 };
        var command = new Command("health", "Check a server's gRPC health service; exit 0 when SERVING, 1 otherwise") { server, service, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = parse.GetValue(server)!;
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0) || double.IsInfinity(seconds)) throw new ArgumentException($"--timeout {seconds}: expected a positive number of seconds");
            // One attempt: a health check must report the server as it is, not retry past a failure.
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(RetrievalChannel.ParseAddress(address));
            var status = await HealthProbe.CheckAsync(channel, parse.GetValue(service)!, TimeSpan.FromSeconds(seconds), cancellationToken);
            Console.WriteLine($"{address}: {status}");
            return status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
