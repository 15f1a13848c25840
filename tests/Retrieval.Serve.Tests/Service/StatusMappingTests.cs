using Grpc.Core;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Every status the server returns is counted, and nothing a client sends comes back as INTERNAL.</summary>
public sealed class StatusMappingTests : TempDirectoryTest
{

    private Dictionary<string, string?> Settings()
    {
        var settings = FakeServerSettings(0);
        settings["Limits:MaxReceiveBytes"] = "4096";
        return settings;
    }

    private static Method<byte[], byte[]> Raw(string service, string method, MethodType type = MethodType.Unary) =>
        new(type, service, method, Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    [Fact]
    public async Task FrameworkStatusesAreCountedAndClientFaultsAreNeverInternal()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var invoker = host.Channel.CreateCallInvoker();
        async Task<StatusCode> Call(Method<byte[], byte[]> method, byte[] body)
        {
            try
            {
                await invoker.AsyncUnaryCall(method, null, new CallOptions(), body);
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                Assert.DoesNotContain("Exception", e.Status.Detail);
                return e.StatusCode;
            }
        }

        // Field 2 (options) declared as a 100-byte message with 3 bytes behind it; then a wire type protobuf does not have.
        var truncated = await Call(Raw("retrieval.v1.Retrieval", "Search"), [0x12, 100, 1, 2, 3]);
        var badWireType = await Call(Raw("retrieval.v1.Retrieval", "Search"), [0x0F, 0x01]);
        var oversize = await Call(Raw("retrieval.v1.Retrieval", "Search"), new byte[10_000]);
        var unknownMethod = await Call(Raw("retrieval.v1.Retrieval", "DropTables"), []);
        var unknownService = await Call(Raw("evil.v1.Service", "Call"), []);

        Assert.Equal(StatusCode.InvalidArgument, truncated);
        Assert.Equal(StatusCode.InvalidArgument, badWireType);
        Assert.Equal(StatusCode.ResourceExhausted, oversize);
        Assert.Equal(StatusCode.Unimplemented, unknownMethod);
        Assert.Equal(StatusCode.Unimplemented, unknownService);

        var text = await host.WaitForMetricAsync(t => t.Contains("code=\"Unimplemented\"} 2"));
        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"InvalidArgument\"} 2", text);
        Assert.Contains("retrieval_requests_total{method=\"Search\",code=\"ResourceExhausted\"} 1", text);
        Assert.Contains("retrieval_requests_total{method=\"unknown\",code=\"Unimplemented\"} 2", text);
        Assert.DoesNotContain("DropTables", text);
        Assert.DoesNotContain("Internal", text);
    }

    [Theory]
    [InlineData("Search", new byte[] { 0, 0, 0, 0, 100, 1, 2, 3 })]          // frame says 100 bytes, 3 follow
    [InlineData("Search", new byte[] { 0, 0, 0, 0, 1, 8, 0, 0, 0, 0, 1, 8 })] // two messages on a unary call
    [InlineData("Search", new byte[] { 1, 0, 0, 0, 1, 8 })]                   // "compressed" with no encoding
    [InlineData("UpsertItems", new byte[] { 0, 0, 0, 0, 100, 1, 2, 3 })]     // truncated inside a client stream
    public async Task BrokenFramesAreInvalidArgumentAndCounted(string method, byte[] body)
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var http = host.HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/retrieval.v1.Retrieval/{method}")
        {
            Version = new Version(2, 0), Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.ParseAdd("trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First() : "none";
        Assert.Equal("3", status);
        await host.WaitForMetricAsync(text => text.Contains($"retrieval_requests_total{{method=\"{method}\",code=\"InvalidArgument\"}} 1"));
    }

    [Fact]
    public async Task MalformedMessagesInsideAStreamAreInvalidArgument()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        using var call = host.Channel.CreateCallInvoker().AsyncClientStreamingCall(Raw("retrieval.v1.Retrieval", "EvaluateQueries", MethodType.ClientStreaming), null, new CallOptions());
        await ClientStreams.WriteAllAsync(call.RequestStream, new byte[] { 0x0F, 0x01 });
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        await host.WaitForMetricAsync(t => t.Contains("retrieval_requests_total{method=\"EvaluateQueries\",code=\"InvalidArgument\"} 1"));
    }
}
