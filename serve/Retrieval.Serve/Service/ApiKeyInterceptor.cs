using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Service;

/// <summary>When an API key is configured, refuses retrieval calls whose x-api-key metadata header does not match it (UNAUTHENTICATED).</summary>
public sealed class ApiKeyInterceptor(IOptions<ServerOptions> options) : Interceptor
{
    /// <summary>The metadata header carrying the key.</summary>
    public const string Header = "x-api-key";

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (_key is null) return;
        var given = context.RequestHeaders.GetValue(Header);
        if (given is null)
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"missing API key: send it in the '{Header}' metadata header."));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key))
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"wrong API key in the '{Header}' metadata header."));
    }
}
