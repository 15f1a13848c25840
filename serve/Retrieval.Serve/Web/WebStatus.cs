using System.Text.Json;
using Grpc.Core;

namespace Retrieval.Serve.Web;

/// <summary>
/// Errors of the page's own HTTP endpoints in the shape JSON transcoding gives gRPC errors — a google.rpc.Status body
/// {code, message, details} and the HTTP status transcoding maps that code to — so a client handles one error format.
/// </summary>
public static class WebStatus
{
    /// <summary>The HTTP status JSON transcoding answers a gRPC code with.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Cancelled => 499,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Writes the error response.</summary>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message)
    {
        context.Response.StatusCode = HttpStatusOf(code);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { code = (int)code, message, details = Array.Empty<object>() }));
    }
}
