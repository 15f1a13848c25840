using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
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

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.ApiKey);

    /// <summary>Answers one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var code = StatusCode.OK;
        try
        {
            if (KeyProblem(context.Request.Headers[ApiKeyInterceptor.Header]) is { } problem)
            {
                code = StatusCode.Unauthenticated;
                await WebStatus.WriteAsync(context, code, problem);
                return;
            }
            var jpeg = await thumbnails.RenderAsync(context.Request.Query["path"], context.RequestAborted);
            context.Response.ContentType = "image/jpeg";
            context.Response.Headers.CacheControl = "private, max-age=300";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.ContentLength = jpeg.Length;
            await context.Response.Body.WriteAsync(jpeg, context.RequestAborted);
        }
        catch (RequestException e)
        {
            code = WebStatus.CodeOf(e.Error);
            await WebStatus.WriteAsync(context, code, e.Message);
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

    private string? KeyProblem(string? given)
    {
        if (_key is null) return null;
        if (string.IsNullOrEmpty(given)) return $"missing API key: send it in the '{ApiKeyInterceptor.Header}' header.";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key) ? null : $"wrong API key in the '{ApiKeyInterceptor.Header}' header.";
    }
}
