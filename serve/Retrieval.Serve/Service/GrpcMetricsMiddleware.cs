using System.Collections.Frozen;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Service;

/// <summary>
/// Counts every gRPC call by method and final grpc-status, whoever produced it — the service, an interceptor, or the
/// gRPC framework before any handler ran (message over the size limit, malformed protobuf, unknown method). Method
/// labels are the known methods' names; anything else counts as "unknown", so clients cannot grow the label set.
/// A call the framework failed before its handler ran (UNKNOWN or INTERNAL while reading the request: a malformed or
/// truncated message) is the client's fault: its status becomes INVALID_ARGUMENT before the headers go out.
/// </summary>
public sealed class GrpcMetricsMiddleware(RequestDelegate next, ServingMetrics metrics)
{
    /// <summary>HttpContext.Items key set by <see cref="StatusInterceptor"/> once a call reaches its handler.</summary>
    public const string HandlerStarted = "retrieval.handler-started";

    private const string MalformedRequest = "the request is not a valid gRPC message of the method's type (malformed or truncated protobuf).";

    private static readonly FrozenDictionary<string, string> Known = new[]
        {
            V1.Retrieval.Descriptor, Grpc.Health.V1.Health.Descriptor,
            Grpc.Reflection.V1Alpha.ServerReflection.Descriptor,
        }
        .SelectMany(service => service.Methods.Select(m => ($"/{service.FullName}/{m.Name}", m.Name)))
        .ToFrozenDictionary(x => x.Item1, x => x.Item2);

    /// <summary>Runs the call and records its status and latency when it is a gRPC call.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            await next(context);
            return;
        }
        var clock = Stopwatch.StartNew();
        context.Response.OnStarting(() =>
        {
            BlameClientForFramingErrors(context);
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            if (!context.Response.HasStarted) BlameClientForFramingErrors(context);
            var method = Known.GetValueOrDefault(context.Request.Path.Value ?? "", "unknown");
            metrics.Requests.WithLabels(method, StatusOf(context).ToString()).Inc();
            metrics.Latency.WithLabels(method).Observe(clock.Elapsed.TotalSeconds);
        }
    }

    private static void BlameClientForFramingErrors(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (!context.Items.ContainsKey(HandlerStarted) && headers["grpc-status"].ToString() is "2" or "13")
        {
            headers["grpc-status"] = ((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["grpc-message"] = MalformedRequest;
        }
    }

    private static StatusCode StatusOf(HttpContext context)
    {
        var value = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString();
        if (string.IsNullOrEmpty(value)) value = context.Response.Headers["grpc-status"].ToString();
        if (int.TryParse(value, out var code)) return (StatusCode)code;
        return context.RequestAborted.IsCancellationRequested ? StatusCode.Cancelled : StatusCode.Unknown;
    }
}
