using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Web;

/// <summary>
/// Bounds a JSON request before transcoding reads it (transcoding enforces no message size of its own): the body may be at
/// most <see cref="MaxBodyBytes"/> — the gRPC message cap inflated by base64 (4/3) plus 64 KiB of JSON around it — and is
/// buffered within that bound; past it the call is refused with RESOURCE_EXHAUSTED, as an oversize gRPC message is.
/// <see cref="JsonMessageLimitInterceptor"/> then holds the parsed message to the exact gRPC cap.
/// </summary>
public sealed class JsonBodyLimit(ServerOptions options)
{
    /// <summary>JSON syntax, field names and options allowed on top of the base64 payload.</summary>
    public const int JsonOverheadBytes = 64 * 1024;

    /// <summary>The largest JSON body accepted.</summary>
    public long MaxBodyBytes { get; } = (options.MaxReceiveBytes + 2L) / 3 * 4 + JsonOverheadBytes;

    /// <summary>The middleware: buffers transcoded requests' bodies up to the cap, refuses larger ones.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
            await next(context);
            return;
        }
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            await RefuseAsync(context);
            return;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await RefuseAsync(context);
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        request.Body = buffer;
        await next(context);
    }

    private Task RefuseAsync(HttpContext context)
    {
        var message = $"request body exceeds {MaxBodyBytes} bytes, the JSON limit that follows from the {options.MaxReceiveBytes}-byte message limit (--max-receive-bytes).";
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { code = (int)StatusCode.ResourceExhausted, message, details = Array.Empty<object>() }));
    }
}
