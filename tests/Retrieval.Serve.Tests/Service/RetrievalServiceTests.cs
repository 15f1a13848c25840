using Google.Protobuf;
using Grpc.Core;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

public sealed class RetrievalServiceTests : IDisposable
{
    private const int GalleryItems = 24;
    private readonly string _dir = Directory.CreateTempSubdirectory("serve").FullName;
    private readonly string _data;
    private readonly string _model;

    public RetrievalServiceTests()
    {
        _data = Path.Combine(_dir, "data");
        ServingHost.WriteGallery(_data, GalleryItems);
        _model = FakeModelLoader.Write(Path.Combine(_dir, "model.onnx"), 1);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string?> Settings(bool data = true) => new()
    {
        ["Model"] = _model,
        ["Data"] = data ? _data : null,
        ["Index"] = Path.Combine(_dir, "gallery"),
        ["Limits:MaxReceiveBytes"] = "65536",
        ["Limits:MaxImagePixels"] = "10000",
    };

    private static SearchRequest Query(float[] vector, int k = 5, long pixels = 64 * 64) =>
        new() { Image = ByteString.CopyFrom(FakeImage.Encode(vector, pixels)), Options = new SearchOptions { K = k } };

    [Fact]
    public async Task EveryGalleryImageFindsItselfFirst()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        for (int i = 0; i < GalleryItems; i++)
        {
            var response = await host.Client.SearchAsync(Query(ServingHost.ItemVector(i)));
            Assert.Equal(5, response.Neighbors.Count);
            Assert.Equal(i, response.Neighbors[0].ItemId);
            Assert.Equal($"id_{i % 3}", response.Neighbors[0].Label);
            Assert.Equal($"img/item{i}.fake", response.Neighbors[0].ImagePath);
            Assert.Equal(1f, response.Neighbors[0].Score, 4);
        }
        var info = await host.Client.GetInfoAsync(new GetInfoRequest());
        Assert.Equal((GalleryItems, ServingHost.Dim, "fake"), (info.IndexSize, info.EmbeddingSize, info.ModelMetadata["name"]));
        Assert.Equal(host.Loader.Loaded[0].Info.Sha256, info.ModelSha256);
    }

    [Fact]
    public async Task BadInputsGetTheRightStatusAndTheServerKeepsServing()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var good = Query(ServingHost.ItemVector(2));

        await AssertStatus(StatusCode.InvalidArgument, "image", host.Client.SearchAsync(new SearchRequest { Options = new SearchOptions { K = 3 } }).ResponseAsync);
        await AssertStatus(StatusCode.InvalidArgument, "not a decodable image", host.Client.SearchAsync(new SearchRequest { Image = ByteString.CopyFromUtf8("garbage"), Options = new SearchOptions { K = 3 } }).ResponseAsync);
        await AssertStatus(StatusCode.InvalidArgument, "options.k", host.Client.SearchAsync(Query(ServingHost.ItemVector(2), k: 0)).ResponseAsync);
        await AssertStatus(StatusCode.InvalidArgument, "options.k", host.Client.SearchAsync(new SearchRequest { Image = good.Image }).ResponseAsync);
        await AssertStatus(StatusCode.ResourceExhausted, "pixels", host.Client.SearchAsync(Query(ServingHost.ItemVector(2), pixels: 20_000)).ResponseAsync);
        await AssertStatus(StatusCode.ResourceExhausted, "", host.Client.SearchAsync(new SearchRequest { Image = ByteString.CopyFrom(new byte[100_000]), Options = new SearchOptions { K = 1 } }).ResponseAsync);
        var wrongSize = new SearchByVectorRequest { Options = new SearchOptions { K = 1 } };
        wrongSize.Embedding.AddRange(new float[3]);
        await AssertStatus(StatusCode.InvalidArgument, "embedding size is 16", host.Client.SearchByVectorAsync(wrongSize).ResponseAsync);
        await AssertStatus(StatusCode.InvalidArgument, "item_ids", host.Client.DeleteItemsAsync(new DeleteItemsRequest()).ResponseAsync);

        Assert.Equal(2, (await host.Client.SearchAsync(good)).Neighbors[0].ItemId);
    }

    [Fact]
    public async Task EmptyGalleryIsAFailedPrecondition()
    {
        await using var host = await ServingHost.StartAsync(Settings(data: false));
        await AssertStatus(StatusCode.FailedPrecondition, "gallery is empty", host.Client.SearchAsync(Query(ServingHost.ItemVector(0))).ResponseAsync);
    }

    [Fact]
    public async Task UpdatesAreVisibleToTheNextSearchAndSurviveARestart()
    {
        var fresh = FakeImage.Vector(77, ServingHost.Dim);
        await using (var host = await ServingHost.StartAsync(Settings()))
        {
            using var upsert = host.Client.UpsertItems();
            await upsert.RequestStream.WriteAsync(new UpsertItemRequest { ItemId = 500, Label = "new", Image = ByteString.CopyFrom(FakeImage.Encode(fresh)), ImagePath = "uploads/500.png" });
            await upsert.RequestStream.CompleteAsync();
            var upserted = await upsert;
            Assert.Equal((1, GalleryItems + 1L), (upserted.Upserted, upserted.IndexSize));
            Assert.Equal(500, (await host.Client.SearchAsync(Query(fresh))).Neighbors[0].ItemId);

            var deleted = await host.Client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { 3, 999 } });
            Assert.Equal((1, 1, (long)GalleryItems), (deleted.Deleted, deleted.NotFound, deleted.IndexSize));
            Assert.DoesNotContain((await host.Client.SearchAsync(Query(ServingHost.ItemVector(3), k: GalleryItems))).Neighbors, n => n.ItemId == 3);
        }
        await using (var restarted = await ServingHost.StartAsync(Settings()))
        {
            var hit = (await restarted.Client.SearchAsync(Query(fresh))).Neighbors[0];
            Assert.Equal((500L, "new", "uploads/500.png"), (hit.ItemId, hit.Label, hit.ImagePath));
            Assert.DoesNotContain((await restarted.Client.SearchAsync(Query(ServingHost.ItemVector(3), k: 50))).Neighbors, n => n.ItemId == 3);
            Assert.Equal(GalleryItems, (await restarted.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
        }
    }

    [Fact]
    public async Task WrongOrMissingApiKeyIsRefused()
    {
        var settings = Settings();
        settings["ApiKey"] = "s3cret";
        await using var host = await ServingHost.StartAsync(settings);
        await AssertStatus(StatusCode.Unauthenticated, "missing API key", host.Client.GetInfoAsync(new GetInfoRequest()).ResponseAsync);
        await AssertStatus(StatusCode.Unauthenticated, "wrong API key", host.Client.GetInfoAsync(new GetInfoRequest(), new Metadata { { "x-api-key", "guess" } }).ResponseAsync);
        var info = await host.Client.GetInfoAsync(new GetInfoRequest(), new Metadata { { "x-api-key", "s3cret" } });
        Assert.Equal(GalleryItems, info.IndexSize);
    }

    [Fact]
    public async Task SearchStreamAnswersInOrderAndExactMatchesIndex()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var call = host.Client.SearchStream();
        var order = new[] { 5, 1, 17, 9 };
        foreach (var i in order) await call.RequestStream.WriteAsync(Query(ServingHost.ItemVector(i), k: 3));
        await call.RequestStream.CompleteAsync();
        var answers = new List<long>();
        await foreach (var r in call.ResponseStream.ReadAllAsync()) answers.Add(r.Neighbors[0].ItemId);
        Assert.Equal(order.Select(i => (long)i), answers);

        var exact = Query(ServingHost.ItemVector(4), k: 6);
        exact.Options.Exact = true;
        exact.Options.ScoreThreshold = 0.5f;
        var hits = (await host.Client.SearchAsync(exact)).Neighbors;
        Assert.Equal(4, hits[0].ItemId);
        Assert.All(hits, h => Assert.True(h.Score >= 0.5f));
    }

    [Fact]
    public async Task EmbedReturnsTheModelOutputAndEvaluateReportsQuality()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var v = ServingHost.ItemVector(8);
        var embedded = await host.Client.EmbedAsync(new EmbedRequest { Image = ByteString.CopyFrom(FakeImage.Encode(v)) });
        Assert.Equal(v, embedded.Embedding);

        using var eval = host.Client.EvaluateQueries();
        for (int i = 0; i < 6; i++)
            await eval.RequestStream.WriteAsync(new EvaluateQueryRequest { Image = ByteString.CopyFrom(FakeImage.Encode(ServingHost.ItemVector(i))), Label = $"id_{i % 3}" });
        await eval.RequestStream.WriteAsync(new EvaluateQueryRequest { Image = ByteString.CopyFrom(FakeImage.Encode(v)), Label = "unknown" });
        await eval.RequestStream.CompleteAsync();
        var report = await eval;
        Assert.Equal((6, 1), (report.Queries, report.ExcludedQueries));
        Assert.Equal(1.0, report.PrecisionAt1);
        Assert.Equal(1.0, report.RecallAtK[1]);
        Assert.InRange(report.MapAtR, 0.0, 1.0);
    }

    [Fact]
    public async Task ReloadSwapsModelAndIndexTogetherAndPersistsThePair()
    {
        var second = FakeModelLoader.Write(Path.Combine(_dir, "model2.onnx"), -1);
        await using (var host = await ServingHost.StartAsync(Settings()))
        {
            var oldSha = (await host.Client.GetInfoAsync(new GetInfoRequest())).ModelSha256;
            var reloaded = await host.Client.ReloadModelAsync(new ReloadModelRequest { ModelPath = second });
            Assert.NotEqual(oldSha, reloaded.ModelSha256);
            Assert.Equal((GalleryItems, 0), (reloaded.IndexSize, reloaded.DroppedItems));
            Assert.Equal(reloaded.ModelSha256, (await host.Client.GetInfoAsync(new GetInfoRequest())).ModelSha256);
            Assert.Equal(11, (await host.Client.SearchAsync(Query(ServingHost.ItemVector(11)))).Neighbors[0].ItemId);
        }
        // The gallery folder records model2: a restart with the old --model comes back serving model2 (it used to refuse to start).
        await using (var restarted = await ServingHost.StartAsync(Settings()))
        {
            Assert.Equal(Sha(second), (await restarted.Client.GetInfoAsync(new GetInfoRequest())).ModelSha256);
            Assert.Equal(11, (await restarted.Client.SearchAsync(Query(ServingHost.ItemVector(11)))).Neighbors[0].ItemId);
            Assert.Equal(-1, restarted.Loader.Loaded.Single().Sign);
        }
        // With the recorded model gone and another --model, the engine refuses to start, naming both.
        File.Delete(second);
        var options = new Retrieval.Serve.Configuration.ServerOptions { Model = _model, Index = Path.Combine(_dir, "gallery") };
        var engine = new Retrieval.Serve.Engine.RetrievalEngine(Microsoft.Extensions.Options.Options.Create(options), new FakeModelLoader(ServingHost.Dim),
            new Retrieval.Core.Storage.ExactIndexFactory(), new Retrieval.Serve.Engine.ServingMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<Retrieval.Serve.Engine.RetrievalEngine>.Instance);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => engine.StartAsync(CancellationToken.None));
        Assert.Contains("model2.onnx", e.Message);
        Assert.Contains(_model, e.Message);
    }

    [Fact]
    public async Task AnExpiredDeadlineStopsTheQueuedWorkAndTheServerKeepsServing()
    {
        var settings = Settings(data: false);
        settings["MaxBatch"] = "4";
        settings["MaxWaitMs"] = "0";
        await using var host = await ServingHost.StartAsync(settings);
        var model = host.Loader.Loaded[0];
        using var hold = new SemaphoreSlim(0);
        model.Hold = hold;
        // The first request is inside the model (held there), so the second one waits in the batcher's queue.
        var busy = host.Client.EmbedAsync(new EmbedRequest { Image = ByteString.CopyFrom(FakeImage.Encode(ServingHost.ItemVector(0))) });
        await model.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var late = host.Client.EmbedAsync(new EmbedRequest { Image = ByteString.CopyFrom(FakeImage.Encode(ServingHost.ItemVector(1))) },
            deadline: DateTime.UtcNow.AddMilliseconds(50));
        // The client sees DEADLINE_EXCEEDED (over TestServer the aborted stream occasionally surfaces as another code);
        // what matters is that the server stopped the late call before the model ran it. Its status is recorded when
        // the server's handler has ended, i.e. after the call's cancellation was seen: wait for that, not for a time.
        await Assert.ThrowsAsync<RpcException>(() => late.ResponseAsync);
        await host.WaitForMetricAsync(text => text.Contains("method=\"Embed\",code=\"DeadlineExceeded\"") || text.Contains("method=\"Embed\",code=\"Cancelled\""));

        model.Hold = null;
        hold.Release();
        Assert.Equal(ServingHost.ItemVector(0), (await busy).Embedding);
        await host.Client.EmbedAsync(new EmbedRequest { Image = ByteString.CopyFrom(FakeImage.Encode(ServingHost.ItemVector(2))) });
        Assert.Equal([1, 1], model.Batches);
    }

    [Fact]
    public async Task MetricsCountRequestsByMethodAndStatus()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        await host.Client.SearchAsync(Query(ServingHost.ItemVector(1)));
        await AssertStatus(StatusCode.InvalidArgument, "options.k", host.Client.SearchAsync(Query(ServingHost.ItemVector(1), k: -1)).ResponseAsync);

        var text = await host.WaitForMetricAsync(t => t.Contains("code=\"InvalidArgument\""));

        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"OK\"} 1", text);
        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"InvalidArgument\"} 1", text);
        Assert.Contains($"retrieval_index_size {GalleryItems}", text);
        Assert.Contains("retrieval_batch_size_count", text);
        Assert.Contains("retrieval_request_duration_seconds_bucket{method=\"Search\"", text);
    }

    private static string Sha(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task AssertStatus(StatusCode code, string messagePart, Task call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(code, e.StatusCode);
        Assert.Contains(messagePart, e.Status.Detail);
    }
}
