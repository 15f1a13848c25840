using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Service;

namespace Retrieval.Serve.Web;

/// <summary>
/// For a call that arrived as JSON: holds the parsed message to the gRPC message cap, measured exactly as a gRPC
/// client's message is (RESOURCE_EXHAUSTED above it), and records the gRPC status a failing call ends with, for
/// <see cref="JsonCalls"/> to count (the HTTP status alone cannot tell INVALID_ARGUMENT from FAILED_PRECONDITION).
/// gRPC calls pass untouched: the framework has checked them and the gRPC metrics middleware counts them.
/// </summary>
public sealed class JsonCallInterceptor(IOptions<ServerOptions> options) : Interceptor
{
    /// <summary>HttpContext.Items key of the failing call's <see cref="StatusCode"/>.</summary>
    public const string StatusKey = "retrieval.json-status";

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        if (http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null) return await continuation(request, context);
        try
        {
            int limit = options.Value.Limits.MaxReceiveBytes;
            if (request is IMessage message && message.CalculateSize() is var size && size > limit)
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"the request message is {size} bytes, over the {limit}-byte limit (--max-receive-bytes)."));
            return await continuation(request, context);
        }
        catch (Exception e)
        {
            http.Items[StatusKey] = e is OperationCanceledException ? StatusCode.Cancelled : StatusInterceptor.StatusOf(e).StatusCode;
            throw;
        }
    }
}
