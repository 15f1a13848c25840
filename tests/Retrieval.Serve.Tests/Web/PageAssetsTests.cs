using System.Net;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.Serve.Tests.Service;

namespace Retrieval.Serve.Tests.Web;

/// <summary>The page's own files: embedded, typed, revalidated by ETag, kept to this origin by their headers.</summary>
public sealed class PageAssetsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-page-assets").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ThePageFilesAreServedWithTypesHeadersAndETags()
    {
        await using var host = await ServingHost.StartAsync(new Dictionary<string, string?>
        {
            ["Model"] = FakeModelLoader.Write(Path.Combine(_dir, "model.onnx"), 1), ["Index"] = Path.Combine(_dir, "gallery"),
        });
        using var http = host.WebClient();

        using var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var html = await index.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"app.js\"", html);
        Assert.DoesNotContain("{{server-version}}", html);
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());

        foreach (var (path, type) in new[] { ("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/favicon.svg", "image/svg+xml"), ("/index.html", "text/html") })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal((HttpStatusCode.OK, type), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
            var etag = response.Headers.ETag!;
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(etag);
            using var notModified = await http.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        using var missing = await http.GetAsync("/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
