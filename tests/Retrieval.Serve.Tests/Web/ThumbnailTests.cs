using System.Net;
using System.Text.Json;
using Grpc.Core;
using Retrieval.Core.Imaging;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.Serve.Tests.Service;

namespace Retrieval.Serve.Tests.Web;

/// <summary>GET /v1/thumbnail: gallery images from inside the data root only, bounded, as small JPEGs, under the API key rule.</summary>
public sealed class ThumbnailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-thumbs").FullName;
    private string Data => Path.Combine(_dir, "data");

    public ThumbnailTests()
    {
        ServingHost.WriteGallery(Data, 6);
        WritePng(Path.Combine(Data, "img", "wide.png"), 600, 300);
        WritePng(Path.Combine(Data, "img", "sub", "small.png"), 40, 20);
        WritePng(Path.Combine(_dir, "outside.png"), 50, 50);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Settings(string? apiKey = null, bool data = true) => new()
    {
        ["Model"] = FakeModelLoader.Write(Path.Combine(_dir, "model.onnx"), 1),
        ["Data"] = data ? Data : null,
        ["Index"] = Path.Combine(_dir, data ? "gallery" : "empty"),
        ["Limits:MaxReceiveBytes"] = "65536",
        ["ApiKey"] = apiKey,
    };

    [Fact]
    public async Task GalleryImagesComeBackAsJpegsFittedInto256Pixels()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var http = host.WebClient();
        var (wide, type) = await GetImage(http, "img/wide.png");
        Assert.Equal("image/jpeg", type);
        Assert.Equal((256, 128), (wide.Width, wide.Height));
        var pixel = TestPixel(wide, 128, 64);
        Assert.True(Math.Abs(pixel.R - 200) < 12 && Math.Abs(pixel.G - 60) < 12 && Math.Abs(pixel.B - 30) < 12, $"colour {pixel}");
        var (small, _) = await GetImage(http, "img/sub/small.png");
        Assert.Equal((40, 20), (small.Width, small.Height));   // never enlarged
        var (dotted, _) = await GetImage(http, "img/./sub/small.png");
        Assert.Equal(40, dotted.Width);
    }

    [Fact]
    public async Task PathsOutsideTheRootAndUnreadableFilesAreRefusedWithAStatus()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var http = host.WebClient();
        File.CreateSymbolicLink(Path.Combine(Data, "img", "escape.png"), Path.Combine(_dir, "outside.png"));
        Directory.CreateSymbolicLink(Path.Combine(Data, "img", "outdir"), _dir);
        File.CreateSymbolicLink(Path.Combine(Data, "img", "alias.png"), Path.Combine(Data, "img", "wide.png"));
        File.WriteAllText(Path.Combine(Data, "img", "notes.png"), "not an image");
        File.WriteAllBytes(Path.Combine(Data, "img", "huge.png"), new byte[70_000]);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(Data, "img", "pipe.png")])!)
            await mkfifo.WaitForExitAsync();

        var refused = new (string? Path, HttpStatusCode Http, StatusCode Code)[]
        {
            (null, HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            ("../outside.png", HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            ("img/../../outside.png", HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            (Path.Combine(_dir, "outside.png"), HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            ("img/wide.png\0x", HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            (new string('a', 2000), HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
            ("img/escape.png", HttpStatusCode.NotFound, StatusCode.NotFound),
            ("img/outdir/outside.png", HttpStatusCode.NotFound, StatusCode.NotFound),
            ("img/missing.png", HttpStatusCode.NotFound, StatusCode.NotFound),
            ("img", HttpStatusCode.NotFound, StatusCode.NotFound),
            ("img/pipe.png", HttpStatusCode.NotFound, StatusCode.NotFound),
            ("img/notes.png", HttpStatusCode.BadRequest, StatusCode.FailedPrecondition),
            ("img/huge.png", HttpStatusCode.TooManyRequests, StatusCode.ResourceExhausted),
        };
        foreach (var (path, status, code) in refused)
        {
            using var response = await http.GetAsync(Url(path));
            Assert.True(status == response.StatusCode, $"{path}: {response.StatusCode}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal((int)code, json.RootElement.GetProperty("code").GetInt32());
        }
        Assert.Equal(256, (await GetImage(http, "img/alias.png")).Image.Width);   // a link that stays inside is fine

        var metrics = await host.WaitForMetricAsync(m => m.Contains("retrieval_requests_total{method=\"Thumbnail\",code=\"OK\"} 1"));
        Assert.Contains("retrieval_requests_total{method=\"Thumbnail\",code=\"NotFound\"} 5", metrics);
        Assert.Contains("retrieval_requests_total{method=\"Thumbnail\",code=\"InvalidArgument\"} 6", metrics);
    }

    [Fact]
    public async Task TheApiKeyRuleAndTheDataRootApply()
    {
        await using (var host = await ServingHost.StartAsync(Settings(apiKey: "k1")))
        {
            foreach (var key in new string?[] { null, "nope" })
            {
                using var response = await host.WebClient(key).GetAsync(Url("img/wide.png"));
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            Assert.Equal(256, (await GetImage(host.WebClient("k1"), "img/wide.png")).Image.Width);
        }
        await using (var host = await ServingHost.StartAsync(Settings(data: false)))
        {
            using var response = await host.WebClient().GetAsync(Url("img/wide.png"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("--data", await response.Content.ReadAsStringAsync());
        }
    }

    private static string Url(string? path) => path is null ? "/v1/thumbnail" : $"/v1/thumbnail?path={Uri.EscapeDataString(path)}";

    private static async Task<(RgbImage Image, string? Type)> GetImage(HttpClient http, string path)
    {
        using var response = await http.GetAsync(Url(path));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (ImageDecoder.Decode(await response.Content.ReadAsByteArrayAsync()), response.Content.Headers.ContentType?.MediaType);
    }

    private static (int R, int G, int B) TestPixel(RgbImage image, int x, int y)
    {
        int i = image.IndexOf(x, y);
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    private static void WritePng(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i += 3) (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (200, 60, 30);
        File.WriteAllBytes(path, ImageEncoder.EncodePng(image));
    }
}
