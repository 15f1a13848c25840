using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Web;

/// <summary>
/// Holds a request that arrived as JSON to the gRPC message cap, measured on the parsed protobuf message exactly as a
/// gRPC client's message is (RESOURCE_EXHAUSTED above it). gRPC calls pass untouched: the framework has checked them.
/// </summary>
public sealed class JsonMessageLimitInterceptor(IOptions<ServerOptions> options) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        int limit = options.Value.Limits.MaxReceiveBytes;
        if (request is IMessage message && IsJson(context) && message.CalculateSize() > limit)
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"the request message is {message.CalculateSize()} bytes, over the {limit}-byte limit (--max-receive-bytes)."));
        return continuation(request, context);
    }

    private static bool IsJson(ServerCallContext context) =>
        context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null;
}
