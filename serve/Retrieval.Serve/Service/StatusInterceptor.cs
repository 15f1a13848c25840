using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Service;

/// <summary>
/// Turns what a call throws into its gRPC status: engine and gallery refusals keep their code and message, a malformed message from
/// the client is INVALID_ARGUMENT, cancellation is CANCELLED / DEADLINE_EXCEEDED, and only a fault of the server is
/// INTERNAL — logged with an id, answered with that id and no exception text. (Counting is <see cref="GrpcMetricsMiddleware"/>'s.)
/// </summary>
public sealed class StatusInterceptor(ILogger<StatusInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        MapAsync(context, () => continuation(request, context));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        MapAsync(context, () => continuation(requestStream, context));

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        MapAsync(context, async () => { await continuation(request, responseStream, context); return true; });

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        MapAsync(context, async () => { await continuation(requestStream, responseStream, context); return true; });

    private async Task<T> MapAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        context.GetHttpContext().Items[GrpcMetricsMiddleware.HandlerStarted] = true;
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Internal or StatusCode.Unknown)
        {
            // This code never throws these itself: they come from the framework reading a client's stream ("Incomplete message.").
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"malformed request stream: {e.Status.Detail}"));
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw ToRpc(e, context);
        }
    }

    /// <summary>The status for an exception a call threw (also used for one item of a stream).</summary>
    public static Status StatusOf(Exception e) => e switch
    {
        RpcException rpc => rpc.Status,
        RequestException r => new Status(r.Error switch
        {
            RequestError.InvalidArgument => StatusCode.InvalidArgument,
            RequestError.ResourceExhausted => StatusCode.ResourceExhausted,
            RequestError.NotFound => StatusCode.NotFound,
            RequestError.Aborted => StatusCode.Aborted,
            _ => StatusCode.FailedPrecondition,
        }, r.Message),
        GalleryException g => new Status(g.Error == GalleryError.InvalidArgument ? StatusCode.InvalidArgument : StatusCode.FailedPrecondition, g.Message),
        StoreException s => new Status(s.Error == StoreError.Unavailable ? StatusCode.Unavailable : StatusCode.FailedPrecondition, s.Message),
        InvalidProtocolBufferException => new Status(StatusCode.InvalidArgument, "the request is not a valid protobuf message of the method's type."),
        _ => new Status(StatusCode.Internal, ""),
    };

    private RpcException ToRpc(Exception e, ServerCallContext context)
    {
        // A client that goes away mid-stream surfaces as an IOException from the request body.
        if (e is OperationCanceledException || (e is IOException && context.CancellationToken.IsCancellationRequested))
        {
            return context.Deadline != DateTime.MaxValue && context.Deadline <= DateTime.UtcNow.AddMilliseconds(20)
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed; work was stopped."))
                : new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled; work was stopped."));
        }
        var status = StatusOf(e);
        if (status.StatusCode != StatusCode.Internal) return new RpcException(status);
        var id = Guid.NewGuid().ToString("N")[..12];
        logger.LogError(e, "Internal error {Id} in {Method}", id, context.Method);
        return new RpcException(new Status(StatusCode.Internal, $"internal error (id {id}; the server log has the details)."));
    }
}
