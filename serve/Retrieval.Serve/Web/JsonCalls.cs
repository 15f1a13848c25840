using System.Diagnostics;
using System.Text.Json;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Web;

/// <summary>
/// The middleware around JSON-transcoded calls. It bounds the request before transcoding reads it (transcoding enforces
/// no message size of its own): the body may be at most <see cref="MaxBodyBytes"/> — the gRPC message cap inflated by
/// base64 (4/3) plus 64 KiB of JSON around it — and is buffered within that bound; past it the call is refused with
/// RESOURCE_EXHAUSTED, as an oversize gRPC message is (<see cref="JsonCallInterceptor"/> then holds the parsed
/// message to the exact gRPC cap). And it counts every JSON call in retrieval_requests_total by method and gRPC status,
/// as the gRPC metrics middleware counts gRPC calls.
/// </summary>
public sealed class JsonCalls(ServerOptions options, ServingMetrics metrics)
{
    /// <summary>JSON syntax, field names and options allowed on top of the base64 payload.</summary>
    public const int JsonOverheadBytes = 64 * 1024;

    /// <summary>The largest JSON body accepted.</summary>
    public long MaxBodyBytes { get; } = (options.Limits.MaxReceiveBytes + 2L) / 3 * 4 + JsonOverheadBytes;

    /// <summary>Runs a transcoded call (bounded, counted); passes anything else on.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
            await next(context);
            return;
        }
        var method = endpoint.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Name ?? "unknown";
        var clock = Stopwatch.StartNew();
        var code = StatusCode.OK;
        try
        {
            if (!await BufferBodyAsync(context))
            {
                code = StatusCode.ResourceExhausted;
                await WebStatus.WriteAsync(context, code,
                    $"request body exceeds {MaxBodyBytes} bytes, the JSON limit that follows from the {options.Limits.MaxReceiveBytes}-byte message limit (--max-receive-bytes).");
                return;
            }
            await next(context);
            code = StatusOf(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
        }
        finally
        {
            metrics.Requests.WithLabels(method, code.ToString()).Inc();
            metrics.Latency.WithLabels(method).Observe(clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Replaces the body with an in-memory copy of at most <see cref="MaxBodyBytes"/>; false when it is larger.</summary>
    private async Task<bool> BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return false;
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return false;
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        request.Body = buffer;
        return true;
    }

    /// <summary>
    /// The call's gRPC status: as <see cref="JsonCallInterceptor"/> recorded it when the handler failed, else from the
    /// HTTP status (a refusal before the handler: malformed JSON is INVALID_ARGUMENT, a wrong key UNAUTHENTICATED, ...).
    /// </summary>
    private static StatusCode StatusOf(HttpContext context) =>
        context.Items.TryGetValue(JsonCallInterceptor.StatusKey, out var recorded) && recorded is StatusCode code ? code
        : context.Response.StatusCode switch
        {
            < 300 => StatusCode.OK,
            400 => StatusCode.InvalidArgument,
            401 => StatusCode.Unauthenticated,
            403 => StatusCode.PermissionDenied,
            404 => StatusCode.NotFound,
            413 or 429 => StatusCode.ResourceExhausted,
            _ => StatusCode.Internal,
        };
}
