using Google.Protobuf;
using Grpc.Core;
using Retrieval.Core.Imaging;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Every request's cost is bounded before work starts; refusals name the limit and the switch that raises it.</summary>
public sealed class RequestLimitsTests : TempDirectoryTest
{
    private const int GalleryItems = 12;

    private Dictionary<string, string?> Settings() => FakeServerSettings(GalleryItems);

    private static SearchRequest Query(int i, int k, int ef = 0) =>
        new() { Image = ByteString.CopyFrom(FakeImage.Encode(ServingHost.ItemVector(i))), Options = new SearchOptions { K = k, Ef = ef } };

    private static UpsertItemRequest Item(long id, string label = "new", string path = "", int seed = 77) =>
        new() { ItemId = id, Label = label, ImagePath = path, Image = ByteString.CopyFrom(FakeImage.Encode(FakeImage.Vector(seed, ServingHost.Dim))) };

    private static async Task<RpcException> Refused(Task call) => await Assert.ThrowsAsync<RpcException>(() => call);

    [Theory]
    [InlineData(1001, 0, "options.k 1001 is above the limit of 1000 (--max-k / Retrieval:Limits:MaxK)")]
    [InlineData(1_000_000_000, 0, "options.k 1000000000 is above the limit of 1000")]
    [InlineData(int.MaxValue, 0, "options.k 2147483647 is above the limit of 1000")]
    [InlineData(10, 4097, "options.ef 4097 is above the limit of 4096 (--max-ef / Retrieval:Limits:MaxEf)")]
    public async Task KAndEfAboveTheirCapsAreInvalidArgumentNamingTheLimit(int k, int ef, string message)
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var search = await Refused(host.Client.SearchAsync(Query(1, k, ef)).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, true), (search.StatusCode, search.Status.Detail.Contains(message)));
        var byVector = new SearchByVectorRequest { Options = new SearchOptions { K = k, Ef = ef } };
        byVector.Embedding.AddRange(ServingHost.ItemVector(1));
        Assert.Equal(StatusCode.InvalidArgument, (await Refused(host.Client.SearchByVectorAsync(byVector).ResponseAsync)).StatusCode);
        // At the cap the search runs, and k above the gallery size returns the whole gallery.
        Assert.Equal(GalleryItems, (await host.Client.SearchAsync(Query(1, 1000, 4096))).Neighbors.Count);
    }

    [Theory]
    [InlineData("label", "x", "bad\nlabel", "control character U+000A")]
    [InlineData("label", "x", "nul\0", "control character U+0000")]
    [InlineData("label", "x", "", "label is empty")]
    [InlineData("image_path", "/etc/passwd", "ok", "is absolute")]
    [InlineData("image_path", "img/../../secret.png", "ok", "'..' segment")]
    [InlineData("image_path", "img/a\0.png", "ok", "control character U+0000")]
    [InlineData("image_path", "img/a\r\n.png", "ok", "control character U+000D")]
    public async Task LabelsAndPathsMustBeCleanRelativeText(string field, string path, string label, string message)
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var upsert = host.Client.UpsertItems();
        await upsert.RequestStream.WriteAsync(Item(900, label, path == "x" ? "" : path));
        await upsert.RequestStream.CompleteAsync();
        var e = await Refused(upsert.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains($"item 0 (id 900): {field}", e.Status.Detail);
        Assert.Contains(message, e.Status.Detail);
        Assert.Equal(GalleryItems, (await host.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
    }

    [Fact]
    public async Task LabelsAndPathsOverOneKilobyteAreRefused()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        foreach (var (label, path, limit) in new[] { (new string('x', 1025), "", "MaxLabelBytes"), ("ok", "img/" + new string('p', 1021), "MaxPathBytes") })
        {
            using var upsert = host.Client.UpsertItems();
            await upsert.RequestStream.WriteAsync(Item(901, label, path));
            await upsert.RequestStream.CompleteAsync();
            var e = await Refused(upsert.ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains($"is 1025 bytes, above the limit of 1024", e.Status.Detail);
            Assert.Contains(limit, e.Status.Detail);
        }
        // Exactly 1 KiB is accepted.
        using var ok = host.Client.UpsertItems();
        await ok.RequestStream.WriteAsync(Item(902, new string('y', 1024), "img/" + new string('q', 1020)));
        await ok.RequestStream.CompleteAsync();
        Assert.Equal(1, (await ok).Upserted);
    }

    [Fact]
    public async Task UpsertedCountsDistinctIdsAndTheLastItemOfAnIdWins()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var upsert = host.Client.UpsertItems();
        await upsert.RequestStream.WriteAsync(Item(700, "first", seed: 1));
        await upsert.RequestStream.WriteAsync(Item(701, "other", seed: 2));
        await upsert.RequestStream.WriteAsync(Item(700, "second", seed: 3));
        await upsert.RequestStream.CompleteAsync();
        var reply = await upsert;
        Assert.Equal((2, GalleryItems + 2L), (reply.Upserted, reply.IndexSize));
        var hit = (await host.Client.SearchAsync(new SearchRequest
        {
            Image = ByteString.CopyFrom(FakeImage.Encode(FakeImage.Vector(3, ServingHost.Dim))), Options = new SearchOptions { K = 1 },
        })).Neighbors[0];
        Assert.Equal((700L, "second"), (hit.ItemId, hit.Label));
    }

    [Fact]
    public async Task UpsertEmbedsItemsAsTheyArriveNotAfterTheStreamEnds()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var model = host.Loader.Loaded[0];
        int before = model.Batches.Count;
        using var upsert = host.Client.UpsertItems();
        await upsert.RequestStream.WriteAsync(Item(800));
        // The stream is still open: the server must already have embedded the first item.
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); model.Batches.Count == before; await Task.Delay(10))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the server did not embed the item before the stream ended");
        await upsert.RequestStream.WriteAsync(Item(801, seed: 78));
        await upsert.RequestStream.CompleteAsync();
        Assert.Equal(2, (await upsert).Upserted);
    }

    [Fact]
    public async Task PerCallItemCapStopsUpsertAndDelete()
    {
        var settings = Settings();
        settings["Limits:MaxItemsPerCall"] = "3";
        await using var host = await ServingHost.StartAsync(settings);
        using (var upsert = host.Client.UpsertItems())
        {
            await ClientStreams.WriteAllAsync(upsert.RequestStream, [.. Enumerable.Range(0, 4).Select(i => Item(600 + i, seed: i))]);
            var e = await Refused(upsert.ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
            Assert.Contains("more than 3 items (--max-items-per-call / Retrieval:Limits:MaxItemsPerCall)", e.Status.Detail);
        }
        var delete = await Refused(host.Client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { 1, 2, 3, 4 } }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, delete.StatusCode);
        Assert.Equal(GalleryItems, (await host.Client.GetInfoAsync(new GetInfoRequest())).IndexSize);
    }

    [Fact]
    public async Task PerCallByteCapStopsEvaluate()
    {
        var settings = Settings();
        settings["Limits:MaxBytesPerCall"] = "400";
        await using var host = await ServingHost.StartAsync(settings);
        using var eval = host.Client.EvaluateQueries();
        // Each fake image is 76 bytes: the sixth takes the call over 400 bytes.
        await ClientStreams.WriteAllAsync(eval.RequestStream, [.. Enumerable.Range(0, 6).Select(i => new EvaluateQueryRequest { Label = "id_0", Image = Query(i, 1).Image })]);
        var e = await Refused(eval.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("more than 400 image bytes (--max-bytes-per-call", e.Status.Detail);
    }

    [Fact]
    public async Task OneBadImageInSearchStreamGetsItsOwnErrorAndTheStreamGoesOn()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var call = host.Client.SearchStream();
        await call.RequestStream.WriteAsync(Query(5, 2));
        await call.RequestStream.WriteAsync(new SearchRequest { Image = ByteString.CopyFromUtf8("not an image"), Options = new SearchOptions { K = 2 } });
        await call.RequestStream.WriteAsync(Query(6, 5000));
        await call.RequestStream.WriteAsync(new SearchRequest { Image = ByteString.CopyFrom(BlankPng.Black(1, 600_000)), Options = new SearchOptions { K = 2 } });
        await call.RequestStream.WriteAsync(Query(7, 2));
        await call.RequestStream.CompleteAsync();
        var replies = new List<SearchResponse>();
        await foreach (var r in call.ResponseStream.ReadAllAsync()) replies.Add(r);

        Assert.Equal(5, replies.Count);
        Assert.Equal((5L, null), (replies[0].Neighbors[0].ItemId, replies[0].Error));
        Assert.Equal(((int)StatusCode.InvalidArgument, 0), (replies[1].Error.Code, replies[1].Neighbors.Count));
        Assert.StartsWith("image:", replies[1].Error.Message);
        Assert.Equal((int)StatusCode.InvalidArgument, replies[2].Error.Code);
        Assert.Contains("options.k 5000", replies[2].Error.Message);
        Assert.Equal((int)StatusCode.ResourceExhausted, replies[3].Error.Code);
        Assert.Equal((7L, null), (replies[4].Neighbors[0].ItemId, replies[4].Error));
    }
}
