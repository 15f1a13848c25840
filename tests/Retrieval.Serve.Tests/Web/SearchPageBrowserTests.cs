using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Playwright;
using Retrieval.Serve.Tests.Service;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Web;

/// <summary>
/// The search page in a real browser (Debian's chromium driven by Playwright) against the unmodified server on loopback
/// with a tiny exported ONNX model: the key prompt, an uploaded image, the neighbours the page shows = the server's gRPC
/// answer (HNSW, then exact with another k), thumbnails, a bad upload; a screenshot goes to the test output.
/// RETRIEVAL_PAGE_MODEL / _DATA / _QUERY run it on a real model and data set instead (`make page-screenshot`).
/// </summary>
[Collection("TorchSharp")]
public sealed class SearchPageBrowserTests : IDisposable
{
    private const string Key = "page-test-key";
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-page").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Where the screenshot is written: $RETRIEVAL_SCREENSHOT, else screenshots/search-page.png in the test output folder.</summary>
    public static string ScreenshotPath =>
        Environment.GetEnvironmentVariable("RETRIEVAL_SCREENSHOT") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(AppContext.BaseDirectory, "screenshots", "search-page.png");

    [Fact]
    public async Task ThePageShowsTheServersNeighboursOfAnUploadedImage()
    {
        var executable = Chromium.Require();
        var (model, data, query) = Fixture();
        int httpPort = ServingHost.FreePort(), metricsPort = ServingHost.FreePort();
        await using var host = ServingHost.StartKestrel(new Dictionary<string, string?>
        {
            ["Model"] = model, ["Data"] = data, ["Index"] = Path.Combine(_dir, "gallery"), ["ApiKey"] = Key,
            ["Port"] = ServingHost.FreePort().ToString(CultureInfo.InvariantCulture),
            ["HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
            ["MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        await host.WaitForAsync(HealthCheckResponse.Types.ServingStatus.Serving, TimeSpan.FromMinutes(5));

        using (var http = new HttpClient())   // the metrics port serves /metrics and nothing else
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/v1/info")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics")).StatusCode);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        await page.GotoAsync($"http://127.0.0.1:{httpPort}/");

        // The server wants a key: the page asks for it, then shows the model and index.
        await page.Locator("[data-testid=key-form]").WaitForAsync();
        await page.FillAsync("[data-testid=key-input]", Key);
        await page.ClickAsync("[data-testid=key-form] button");
        await page.WaitForFunctionAsync("() => document.getElementById('info').children.length > 0");
        Assert.True(await page.Locator("[data-testid=key-form]").IsHiddenAsync());
        var info = await host.Client.GetInfoAsync(new GetInfoRequest(), Headers());
        Assert.Contains($"{info.IndexSize} gallery items", await page.TextContentAsync("[data-testid=summary]"));

        var image = await File.ReadAllBytesAsync(query);
        await page.SetInputFilesAsync("[data-testid=file]", query);
        await WaitForStatus(page, "HNSW");
        await WaitForThumbnails(page, await AssertShowsServerAnswer(page, host, image, k: 10, exact: false));
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000);

        await page.CheckAsync("[data-testid=mode-exact]");
        await WaitForStatus(page, "exact search");
        await page.FillAsync("[data-testid=k]", "6");
        await page.DispatchEventAsync("[data-testid=k]", "change");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.neighbor').length === 6");
        await WaitForStatus(page, "6 neighbours · exact search");
        await WaitForThumbnails(page, await AssertShowsServerAnswer(page, host, image, k: 6, exact: true));

        await page.SetInputFilesAsync("[data-testid=file]", new FilePayload { Name = "bad.png", MimeType = "image/png", Buffer = "not an image"u8.ToArray() });
        await page.WaitForFunctionAsync("() => document.getElementById('status').classList.contains('error')");
        Assert.StartsWith("image:", await page.TextContentAsync("[data-testid=status]"));
        Assert.Empty(scriptErrors);
    }

    private static Metadata Headers() => new() { { "x-api-key", Key } };

    /// <summary>Waits until <paramref name="count"/> thumbnails have loaded (fetched with the key, decoded by the browser).</summary>
    private static Task WaitForThumbnails(IPage page, int count) => page.WaitForFunctionAsync(
        "n => [...document.querySelectorAll('.neighbor .thumb img')].filter(i => i.complete && i.naturalWidth > 0).length === n", count);

    private static Task WaitForStatus(IPage page, string text) =>
        page.WaitForFunctionAsync("t => document.getElementById('status').textContent.includes(t)", text);

    /// <summary>The cards' (id, label, score) equal the gRPC Search answer for the same bytes and options; returns the count.</summary>
    private static async Task<int> AssertShowsServerAnswer(IPage page, ServingHost host, byte[] image, int k, bool exact)
    {
        var expected = await host.Client.SearchAsync(new SearchRequest
        {
            Image = ByteString.CopyFrom(image), Options = new SearchOptions { K = k, Exact = exact },
        }, Headers());
        var cards = await page.EvalOnSelectorAllAsync<string[][]>(".neighbor", "els => els.map(e => [e.dataset.itemId, e.dataset.label, e.dataset.score])");
        Assert.Equal(k, expected.Neighbors.Count);
        Assert.Equal(expected.Neighbors.Select(n => (n.ItemId, n.Label)), cards.Select(c => (long.Parse(c[0], CultureInfo.InvariantCulture), c[1])));
        for (int i = 0; i < cards.Length; i++)
            Assert.Equal(expected.Neighbors[i].Score, float.Parse(cards[i][2], CultureInfo.InvariantCulture));   // JSON carries the float exactly
        var scores = await page.Locator(".neighbor .score").AllTextContentsAsync();
        Assert.Equal(expected.Neighbors.Select(n => n.Score.ToString("F3", CultureInfo.InvariantCulture)), scores);
        return cards.Length;
    }

    /// <summary>The model, data root and query image: from RETRIEVAL_PAGE_* when set, else a tiny exported network and generated gallery.</summary>
    private (string Model, string Data, string Query) Fixture()
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? Path.GetFullPath(v) : null;
        if (Env("RETRIEVAL_PAGE_MODEL") is { } model)
            return (model, Env("RETRIEVAL_PAGE_DATA") ?? throw new InvalidOperationException("RETRIEVAL_PAGE_DATA is not set"),
                Env("RETRIEVAL_PAGE_QUERY") ?? throw new InvalidOperationException("RETRIEVAL_PAGE_QUERY is not set"));
        var data = Path.Combine(_dir, "data");
        var tiny = TinyOnnxModel.Export(Path.Combine(_dir, "run", "model.onnx"));
        OnnxServingTests.WriteGallery(data);
        return (tiny, data, Path.Combine(data, "img", "class1", "05.png"));
    }
}
