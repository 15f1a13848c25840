using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Replication;

namespace Retrieval.Serve.Service;

/// <summary>
/// Turns engine and gallery refusals into gRPC status codes (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, FAILED_PRECONDITION), cancellation
/// into CANCELLED / DEADLINE_EXCEEDED and anything unexpected into INTERNAL (logged), and records request counts and latency.
/// </summary>
public sealed class StatusInterceptor(ServingMetrics metrics, ILogger<StatusInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () => { await continuation(requestStream, responseStream, context); return true; });

    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var clock = Stopwatch.StartNew();
        var code = StatusCode.OK;
        try
        {
            return await call();
        }
        catch (Exception e)
        {
            var status = ToRpc(e, context);
            code = status.StatusCode;
            throw status;
        }
        finally
        {
            metrics.Requests.WithLabels(method, code.ToString()).Inc();
            metrics.Latency.WithLabels(method).Observe(clock.Elapsed.TotalSeconds);
        }
    }

    private RpcException ToRpc(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc,
        RequestException r => new RpcException(new Status(r.Error switch
        {
            RequestError.InvalidArgument => StatusCode.InvalidArgument,
            RequestError.ResourceExhausted => StatusCode.ResourceExhausted,
            _ => StatusCode.FailedPrecondition,
        }, r.Message)),
        GalleryException g => new RpcException(new Status(g.Error == GalleryError.InvalidArgument ? StatusCode.InvalidArgument : StatusCode.FailedPrecondition, g.Message)),
        StoreException s => new RpcException(new Status(s.Error == StoreError.Unavailable ? StatusCode.Unavailable : StatusCode.FailedPrecondition, s.Message)),
        OperationCanceledException when context.Deadline != DateTime.MaxValue && context.Deadline <= DateTime.UtcNow.AddMilliseconds(20) =>
            new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed; work was stopped.")),
        OperationCanceledException => new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled; work was stopped.")),
        _ => Internal(e, context),
    };

    private RpcException Internal(Exception e, ServerCallContext context)
    {
        logger.LogError(e, "Unhandled error in {Method}", context.Method);
        return new RpcException(new Status(StatusCode.Internal, $"internal error: {e.Message}"));
    }
}
