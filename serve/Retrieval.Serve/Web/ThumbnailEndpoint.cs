using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Service;

namespace Retrieval.Serve.Web;

/// <summary>
/// GET /v1/thumbnail?path=&lt;image_path&gt;: a read call like Search — the API key rule applies (x-api-key), refusals use
/// the JSON status shape of transcoding, and every answer is counted in retrieval_requests_total as method "Thumbnail".
/// </summary>
public sealed class ThumbnailEndpoint(GalleryThumbnails thumbnails, ServingMetrics metrics, IOptions<ServerOptions> options)
{
    /// <summary>Route of the endpoint.</summary>
    public const string Route = "/v1/thumbnail";

    private readonly ApiKeyInterceptor _keys = new(options);

    /// <summary>Answers one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var code = StatusCode.OK;
        try
        {
            _keys.CheckRead(context.Request.Headers[ApiKeyInterceptor.Header]);
            var jpeg = await thumbnails.RenderAsync(context.Request.Query["path"], context.RequestAborted);
            context.Response.ContentType = "image/jpeg";
            context.Response.Headers.CacheControl = "private, max-age=300";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentLength = jpeg.Length;
            await context.Response.Body.WriteAsync(jpeg, context.RequestAborted);
        }
        catch (Exception e) when (e is RequestException or RpcException)
        {
            var status = StatusInterceptor.StatusOf(e);
            code = status.StatusCode;
            await WebStatus.WriteAsync(context, code, status.Detail);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
        }
        finally
        {
            metrics.Requests.WithLabels("Thumbnail", code.ToString()).Inc();
            metrics.Latency.WithLabels("Thumbnail").Observe(clock.Elapsed.TotalSeconds);
        }
    }
}
