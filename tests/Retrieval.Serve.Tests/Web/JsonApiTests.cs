using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.Serve.Tests.Service;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Web;

/// <summary>The read calls as JSON over HTTP (gRPC JSON transcoding): the same answers, limits, key rules and status mapping as gRPC.</summary>
public sealed class JsonApiTests : IDisposable
{
    private const int GalleryItems = 12;
    private readonly string _dir = Directory.CreateTempSubdirectory("serve-json").FullName;

    public JsonApiTests() => ServingHost.WriteGallery(Path.Combine(_dir, "data"), GalleryItems);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Settings(string? apiKey = null) => new()
    {
        ["Model"] = FakeModelLoader.Write(Path.Combine(_dir, "model.onnx"), 1),
        ["Data"] = Path.Combine(_dir, "data"),
        ["Index"] = Path.Combine(_dir, "gallery"),
        ["Limits:MaxReceiveBytes"] = "65536",
        ["ApiKey"] = apiKey,
    };

    private static object SearchBody(float[] vector, int k, bool exact = false) =>
        new { image = Convert.ToBase64String(FakeImage.Encode(vector)), options = new { k, exact } };

    [Fact]
    public async Task SearchSearchByVectorAndGetInfoAnswerAsGrpcDoes()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var http = host.WebClient();
        var query = FakeImage.Vector(7, ServingHost.Dim);

        foreach (var exact in new[] { false, true })
        {
            var grpc = await host.Client.SearchAsync(new SearchRequest
            {
                Image = Google.Protobuf.ByteString.CopyFrom(FakeImage.Encode(query)), Options = new SearchOptions { K = 4, Exact = exact },
            });
            using var json = await PostOk(http, "/v1/search", SearchBody(query, 4, exact));
            AssertSameNeighbors(grpc, json.RootElement);
        }

        var byVector = await host.Client.SearchByVectorAsync(new SearchByVectorRequest { Embedding = { query }, Options = new SearchOptions { K = 3 } });
        using (var json = await PostOk(http, "/v1/search/vector", new { embedding = query, options = new { k = 3 } }))
            AssertSameNeighbors(byVector, json.RootElement);

        var info = await host.Client.GetInfoAsync(new GetInfoRequest());
        using var infoJson = JsonDocument.Parse(await http.GetStringAsync("/v1/info"));
        var root = infoJson.RootElement;
        Assert.Equal(info.IndexSize, long.Parse(root.GetProperty("indexSize").ToString()));
        Assert.Equal(info.EmbeddingSize, root.GetProperty("embeddingSize").GetInt32());
        Assert.Equal(info.ModelSha256, root.GetProperty("modelSha256").GetString());
        Assert.Equal(info.HnswM, root.GetProperty("hnswM").GetInt32());
        Assert.Equal(info.ModelMetadata["name"], root.GetProperty("modelMetadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task BadRequestsGetTheGrpcStatusAsJsonAndAnHttpCode()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var http = host.WebClient();
        var query = FakeImage.Vector(3, ServingHost.Dim);

        var grpc = await Assert.ThrowsAsync<RpcException>(() => host.Client.SearchAsync(new SearchRequest
        {
            Image = Google.Protobuf.ByteString.CopyFrom(FakeImage.Encode(query)), Options = new SearchOptions { K = 0 },
        }).ResponseAsync);
        var (status, code, message) = await Post(http, "/v1/search", SearchBody(query, 0));
        Assert.Equal((HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument, grpc.Status.Detail), (status, code, message));

        (status, code, message) = await Post(http, "/v1/search", new { image = "", options = new { k = 3 } });
        Assert.Equal((HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument), (status, code));
        Assert.StartsWith("image:", message);

        (status, code, _) = await Post(http, "/v1/search/vector", new { embedding = new[] { 1f, 2f }, options = new { k = 3 } });
        Assert.Equal((HttpStatusCode.BadRequest, (int)StatusCode.InvalidArgument), (status, code));

        using var malformed = await http.PostAsync("/v1/search", new StringContent("{\"image\": 12", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        // Over the message cap (64 KiB here): refused before the image is decoded, as gRPC refuses it.
        var big = FakeImage.Encode(query).Concat(new byte[100_000]).ToArray();
        (status, code, message) = await Post(http, "/v1/search", new { image = Convert.ToBase64String(big), options = new { k = 3 } });
        Assert.Equal((HttpStatusCode.TooManyRequests, (int)StatusCode.ResourceExhausted), (status, code));
        Assert.Contains("65536-byte", message);
        big = FakeImage.Encode(query).Concat(new byte[70_000]).ToArray();   // body under the JSON cap, message over the gRPC cap
        (status, code, message) = await Post(http, "/v1/search", new { image = Convert.ToBase64String(big), options = new { k = 3 } });
        Assert.Equal((HttpStatusCode.TooManyRequests, (int)StatusCode.ResourceExhausted), (status, code));

        using var ok = await http.PostAsJsonAsync("/v1/search", SearchBody(query, 2));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // Every JSON call is counted like a gRPC call, by method and gRPC status (the k = 0 gRPC call above included).
        var metrics = await host.WaitForMetricAsync(m => m.Contains("retrieval_requests_total{method=\"Search\",code=\"OK\"} 1"));
        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"InvalidArgument\"} 4", metrics);
        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"ResourceExhausted\"} 2", metrics);
        Assert.Contains("retrieval_requests_total{method=\"SearchByVector\",code=\"InvalidArgument\"} 1", metrics);
    }

    [Fact]
    public async Task AnEmptyGalleryIsAFailedPreconditionCountedAsSuch()
    {
        var settings = Settings();
        settings["Data"] = null;
        await using var host = await ServingHost.StartAsync(settings);
        using var http = host.WebClient();
        var (status, code, message) = await Post(http, "/v1/search/vector", new { embedding = FakeImage.Vector(1, ServingHost.Dim), options = new { k = 3 } });
        Assert.Equal((HttpStatusCode.BadRequest, (int)StatusCode.FailedPrecondition), (status, code));
        Assert.Contains("gallery is empty", message);
        await host.WaitForMetricAsync(m => m.Contains("retrieval_requests_total{method=\"SearchByVector\",code=\"FailedPrecondition\"} 1"));
    }

    [Fact]
    public async Task TheApiKeyRulesOfGrpcHold()
    {
        await using var host = await ServingHost.StartAsync(Settings(apiKey: "s3cret"));
        var body = SearchBody(FakeImage.Vector(3, ServingHost.Dim), 2);
        foreach (var key in new string?[] { null, "guess" })
        {
            using var http = host.WebClient(key);
            var (status, code, message) = await Post(http, "/v1/search", body);
            Assert.Equal((HttpStatusCode.Unauthorized, (int)StatusCode.Unauthenticated), (status, code));
            Assert.Contains("API key", message);
            using var info = await http.GetAsync("/v1/info");
            Assert.Equal(HttpStatusCode.Unauthorized, info.StatusCode);
        }
        using var keyed = host.WebClient("s3cret");
        using var search = await keyed.PostAsJsonAsync("/v1/search", body);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    private static void AssertSameNeighbors(SearchResponse grpc, JsonElement json)
    {
        var neighbors = json.GetProperty("neighbors").EnumerateArray().ToList();
        Assert.Equal(grpc.Neighbors.Count, neighbors.Count);
        for (int i = 0; i < neighbors.Count; i++)
        {
            Assert.Equal(grpc.Neighbors[i].ItemId, long.Parse(neighbors[i].GetProperty("itemId").ToString()));
            Assert.Equal(grpc.Neighbors[i].Label, neighbors[i].GetProperty("label").GetString());
            Assert.Equal(grpc.Neighbors[i].ImagePath, neighbors[i].GetProperty("imagePath").GetString());
            Assert.Equal(grpc.Neighbors[i].Score, neighbors[i].GetProperty("score").GetSingle());
        }
    }

    private static async Task<JsonDocument> PostOk(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task<(HttpStatusCode Status, int Code, string Message)> Post(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        return (response.StatusCode, json.RootElement.GetProperty("code").GetInt32(), json.RootElement.GetProperty("message").GetString() ?? "");
    }
}
