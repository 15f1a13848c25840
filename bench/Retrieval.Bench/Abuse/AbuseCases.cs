using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Retrieval.Core.Imaging;
using Retrieval.V1;

namespace Retrieval.Bench.Abuse;

/// <summary>
/// The attacks of issue 11 against a running retrieval-server (loopback, admin key set): each case's status, wall time
/// and the server's peak RSS while it ran. A case's status is the gRPC status of its calls (all must agree).
/// </summary>
public sealed class AbuseCases(GrpcChannel channel, int serverPid, string adminKey, string modelsDir)
{
    private readonly V1.Retrieval.RetrievalClient _client = new(channel);
    private readonly Metadata _admin = new() { { "x-api-key", adminKey } };

    /// <summary>Runs every case in order.</summary>
    public async Task<List<AbuseResult>> RunAllAsync(Action<string> progress)
    {
        var results = new List<AbuseResult>();
        async Task Case(string name, string expected, Func<Task<string>> run)
        {
            progress(name);
            ProcessRss.ResetPeak(serverPid);
            var clock = Stopwatch.StartNew();
            string status;
            try { status = await run(); }
            catch (RpcException e) { status = e.StatusCode.ToString(); }
            results.Add(new AbuseResult(name, expected, status, clock.Elapsed.TotalMilliseconds, ProcessRss.PeakMiB(serverPid)));
        }

        // Every image is made before the clock starts: a case times the server, not the client's encoder.
        var small = BlankPng.Black(64, 64);
        var strip600k = BlankPng.Black(1, 600_000);
        var strip1m = BlankPng.Black(1, 1_000_000);
        var huge = BlankPng.Black(6400, 6250);
        var oversize = new byte[17 << 20];
        await Case("baseline: one Search, 64x64 PNG, k 10", "OK", async () => { await _client.SearchAsync(Search(small, 10)); return "OK"; });
        await Case("Search k = 10^9, 8 clients at once", "InvalidArgument", () => All(8, () => _client.SearchAsync(Search(small, 1_000_000_000)).ResponseAsync));
        await Case("Search k = 2^31-1", "InvalidArgument", () => All(1, () => _client.SearchAsync(Search(small, int.MaxValue)).ResponseAsync));
        await Case($"Search 1x600,000 PNG ({strip600k.Length / 1024.0:F1} KB), 2 clients", "ResourceExhausted", () => All(2, () => _client.SearchAsync(Search(strip600k, 10)).ResponseAsync));
        await Case($"Search 1x1,000,000 PNG ({strip1m.Length / 1024.0:F1} KB)", "ResourceExhausted", () => All(1, () => _client.SearchAsync(Search(strip1m, 10)).ResponseAsync));
        await Case("Search 40 MP PNG, 8 clients at once", "OK", () => All(8, () => _client.SearchAsync(Search(huge, 10)).ResponseAsync));
        await Case("Search message over 16 MiB", "ResourceExhausted", () => All(1, () => _client.SearchAsync(Search(oversize, 10)).ResponseAsync));
        await Case("Search, malformed protobuf", "InvalidArgument", () => All(1, () => Raw("Search", [0x12, 100, 1, 2, 3])));
        await Case("unknown method", "Unimplemented", () => All(1, () => Raw("DropTables", [])));
        await Case("SearchStream: good, corrupt, good image", "OK (item 1: InvalidArgument)", () => StreamWithBadItem(small));
        await Case("UpsertItems, 5 MB label", "InvalidArgument", () => Upsert(new string('x', 5 << 20), _admin));
        await Case("UpsertItems without the admin key", "Unauthenticated", () => Upsert("ok", []));
        var noise = new RgbImage(600, 580);
        new Random(3).NextBytes(noise.Pixels);
        var megabyte = ImageEncoder.EncodePng(noise); // ~1 MB of incompressible pixels
        await Case("EvaluateQueries, 256 x 1 MB images streamed", "OK", () => Evaluate(megabyte, 256));
        await Case("ReloadModel /dev/zero", "InvalidArgument", () => All(1, () => _client.ReloadModelAsync(new ReloadModelRequest { ModelPath = "/dev/zero" }, _admin).ResponseAsync));
        File.CreateSymbolicLink(Path.Combine(modelsDir, "zero.onnx"), "/dev/zero");
        await Case("ReloadModel zero.onnx -> /dev/zero in the models folder", "FailedPrecondition",
            () => All(1, () => _client.ReloadModelAsync(new ReloadModelRequest { ModelPath = "zero.onnx" }, _admin, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync));
        return results;
    }

    private static SearchRequest Search(byte[] image, int k) => new() { Image = ByteString.CopyFrom(image), Options = new SearchOptions { K = k } };

    /// <summary>Runs <paramref name="clients"/> copies of a call at once; returns their common status.</summary>
    private static async Task<string> All<T>(int clients, Func<Task<T>> call)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            try { await call(); return "OK"; }
            catch (RpcException e) { return e.StatusCode.ToString(); }
        }));
        return statuses.Distinct().Count() == 1 ? statuses[0] : string.Join("/", statuses.Distinct());
    }

    private Task<byte[]> Raw(string method, byte[] body)
    {
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "retrieval.v1.Retrieval", method,
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        return channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), body).ResponseAsync;
    }

    private async Task<string> StreamWithBadItem(byte[] image)
    {
        using var call = _client.SearchStream();
        foreach (var bytes in new[] { image, image[..(image.Length / 2)], image })
            await call.RequestStream.WriteAsync(Search(bytes, 5));
        await call.RequestStream.CompleteAsync();
        var errors = new List<string>();
        int i = 0;
        await foreach (var r in call.ResponseStream.ReadAllAsync())
        {
            if (r.Error is not null) errors.Add($"item {i}: {(StatusCode)r.Error.Code}");
            i++;
        }
        return $"OK ({string.Join(", ", errors)})";
    }

    private async Task<string> Upsert(string label, Metadata headers)
    {
        using var call = _client.UpsertItems(headers);
        await call.RequestStream.WriteAsync(new UpsertItemRequest { ItemId = 1 << 30, Label = label, Image = ByteString.CopyFrom(BlankPng.Black(64, 64)) });
        await call.RequestStream.CompleteAsync();
        await call;
        return "OK";
    }

    /// <summary>Streams <paramref name="images"/> copies of <paramref name="png"/> (the old server kept the whole stream: 1.56 GB resident for 1 GB).</summary>
    private async Task<string> Evaluate(byte[] png, int images)
    {
        using var call = _client.EvaluateQueries();
        for (int i = 0; i < images; i++)
            await call.RequestStream.WriteAsync(new EvaluateQueryRequest { Label = $"item{i % 50:D2}", Image = ByteString.CopyFrom(png) });
        await call.RequestStream.CompleteAsync();
        var report = await call;
        return report.Queries == images ? "OK" : $"OK but {report.Queries} queries scored";
    }
}
