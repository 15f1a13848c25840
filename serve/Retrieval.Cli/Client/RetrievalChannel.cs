using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace Retrieval.Cli.Client;

/// <summary>gRPC channels to a retrieval server or a load balancer, whose calls are retried on UNAVAILABLE.</summary>
/// <remarks>
/// A replica that stops (or a balancer with no replica left for a moment) answers UNAVAILABLE; grpc-dotnet's
/// retry policy re-sends the call with exponential back-off, so a query survives one replica going away.
/// </remarks>
public static class RetrievalChannel
{
    /// <summary>Opens a channel to <paramref name="address"/> (http:// or https://) with the retry policy.</summary>
    /// <param name="maxAttempts">Attempts per call, the first included (1..10; 1 = no retry).</param>
    /// <param name="handler">Transport for tests (an in-memory server); null for real sockets.</param>
    public static GrpcChannel Create(string address, int maxAttempts = 5, HttpMessageHandler? handler = null)
    {
        var uri = ParseAddress(address);
        if (maxAttempts is < 1 or > 10)
            throw new ArgumentException($"--max-attempts {maxAttempts}: expected 1..10");
        var retry = new RetryPolicy
        {
            MaxAttempts = Math.Max(2, maxAttempts),
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromSeconds(2),
            BackoffMultiplier = 2,
            RetryableStatusCodes = { StatusCode.Unavailable },
        };
        var options = new GrpcChannelOptions
        {
            ServiceConfig = maxAttempts == 1 ? null : new ServiceConfig { MethodConfigs = { new MethodConfig { Names = { MethodName.Default }, RetryPolicy = retry } } },
            MaxRetryAttempts = maxAttempts,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // No client-side cap on requests: the server enforces its limit and answers RESOURCE_EXHAUSTED.
            MaxSendMessageSize = null,
            HttpHandler = handler,
        };
        return GrpcChannel.ForAddress(uri, options);
    }

    /// <summary>The server address as an absolute http/https URI, or an <see cref="ArgumentException"/> naming it.</summary>
    public static Uri ParseAddress(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--server '{address}': expected an absolute http:// or https:// address, e.g. http://127.0.0.1:8080");
        return uri;
    }

    /// <summary>How many earlier attempts a finished call needed (grpc-previous-rpc-attempts; 0 when none).</summary>
    public static int PreviousAttempts(Metadata responseHeaders)
    {
        var value = responseHeaders.GetValue("grpc-previous-rpc-attempts");
        return int.TryParse(value, out var n) ? n : 0;
    }
}
