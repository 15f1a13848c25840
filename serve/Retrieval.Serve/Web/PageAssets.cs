using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Retrieval.Serve.Web;

/// <summary>
/// The search page's files (Web/Page: index.html, app.js, app.css, favicon.svg), embedded in the server assembly so a
/// published server carries them (no front-end build chain, no content root to get wrong); served with a strong ETag,
/// revalidated on every load, and headers that keep the page to its own origin.
/// </summary>
public sealed class PageAssets
{
    /// <summary>Headers sent with every page file: nothing but this origin's scripts, styles, API and blob: thumbnails.</summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
                                      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
    };

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, (byte[] Body, string ContentType, string ETag)> _files = new(StringComparer.Ordinal);

    /// <summary>Loads every embedded page file; index.html gets the server's version filled in.</summary>
    public PageAssets()
    {
        var assembly = typeof(PageAssets).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        if (version.IndexOf('+') is var plus and > 0 && version.Length > plus + 13) version = version[..(plus + 13)];   // +commit, short
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            if (name == "index.html")
                body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("{{server-version}}", WebUtility.HtmlEncode(version)));
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"";
            _files[name] = (body, ContentTypes[Path.GetExtension(name)], etag);
        }
        if (!_files.ContainsKey("index.html")) throw new InvalidOperationException("the search page is not embedded in the server assembly");
    }

    /// <summary>Resource-name prefix of the embedded page files (set in the project file).</summary>
    public const string Prefix = "page/";

    /// <summary>The embedded file names.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>Writes file <paramref name="name"/> (404 when there is none), or 304 when the client's copy is current.</summary>
    public Task ServeAsync(HttpContext context, string name)
    {
        var response = context.Response;
        if (!_files.TryGetValue(name, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        foreach (var (header, value) in SecurityHeaders) response.Headers[header] = value;
        response.Headers.ETag = file.ETag;
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == file.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = file.ContentType;
        response.ContentLength = file.Body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(file.Body, context.RequestAborted).AsTask();
    }
}
