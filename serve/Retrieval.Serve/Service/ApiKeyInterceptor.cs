using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Service;

/// <summary>
/// Enforces the two roles (<see cref="ApiRoles"/>) on the x-api-key metadata header. Read calls: open, or the API key
/// (the admin key also reads). Admin calls: the admin key; with none configured they are refused (PERMISSION_DENIED)
/// unless the server listens on loopback only, where they follow the read rule. Keys are compared in constant time.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<ServerOptions> options) : Interceptor
{
    /// <summary>The metadata header carrying the key.</summary>
    public const string Header = "x-api-key";

    private readonly byte[]? _key = Bytes(options.Value.ApiKey);
    private readonly byte[]? _adminKey = Bytes(options.Value.AdminKey);
    private readonly bool _loopbackOnly = options.Value.IsLoopbackOnly;
    private readonly string _host = options.Value.Host;

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
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        var key = context.RequestHeaders.GetValue(Header);
        var given = Bytes(key);
        if (ApiRoles.IsAdmin(context.Method))
        {
            if (_adminKey is not null)
            {
                if (given is null) throw Refused(StatusCode.Unauthenticated, $"missing admin key: admin calls need the admin key in the '{Header}' metadata header.");
                if (Matches(given, _adminKey)) return;
                if (_key is not null && Matches(given, _key))
                    throw Refused(StatusCode.PermissionDenied, "the API key may only make read calls; admin calls need the admin key.");
                throw Refused(StatusCode.Unauthenticated, $"wrong admin key in the '{Header}' metadata header.");
            }
            if (!_loopbackOnly)
                throw Refused(StatusCode.PermissionDenied,
                    $"admin calls are disabled: the server listens on {_host} and has no admin key (start it with --admin-key, or on 127.0.0.1 only).");
        }
        CheckRead(key);
    }

    /// <summary>The read-call rule on a key sent in the x-api-key header (also the search page's thumbnails): UNAUTHENTICATED when it fails.</summary>
    public void CheckRead(string? key)
    {
        if (_key is null) return;
        var given = Bytes(key);
        if (given is null) throw Refused(StatusCode.Unauthenticated, $"missing API key: send it in the '{Header}' metadata header.");
        if (!Matches(given, _key) && !(_adminKey is not null && Matches(given, _adminKey)))
            throw Refused(StatusCode.Unauthenticated, $"wrong API key in the '{Header}' metadata header.");
    }

    private static bool Matches(byte[] given, byte[] key) => CryptographicOperations.FixedTimeEquals(given, key);

    private static byte[]? Bytes(string? key) => string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    private static RpcException Refused(StatusCode code, string message) => new(new Status(code, message));
}
