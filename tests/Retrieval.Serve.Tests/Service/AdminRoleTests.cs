using Google.Protobuf;
using Grpc.Core;
using Retrieval.Serve.Service;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>Read calls and admin calls are separate roles; admin calls need their own key or a loopback-only server.</summary>
public sealed class AdminRoleTests : TempDirectoryTest
{

    private Dictionary<string, string?> Settings(string host = "127.0.0.1", string? apiKey = null, string? adminKey = null)
    {
        var settings = FakeServerSettings(6);
        (settings["Host"], settings["ApiKey"], settings["AdminKey"]) = (host, apiKey, adminKey);
        return settings;
    }

    private static Metadata Key(string? key) => key is null ? [] : new Metadata { { "x-api-key", key } };

    /// <summary>The status of each admin call (Upsert, Delete, Reload) and of a read call, with the given key.</summary>
    private static async Task<(StatusCode Upsert, StatusCode Delete, StatusCode Reload, StatusCode Read)> Calls(ServingHost host, string? key)
    {
        static async Task<StatusCode> Code(Func<Task> call)
        {
            try { await call(); return StatusCode.OK; }
            catch (RpcException e) { return e.StatusCode; }
        }
        return (
            await Code(async () =>
            {
                using var upsert = host.Client.UpsertItems(Key(key));
                await ClientStreams.WriteAllAsync(upsert.RequestStream, new UpsertItemRequest { ItemId = 99, Label = "x", Image = ByteString.CopyFrom(FakeImage.Encode(FakeImage.Vector(9, ServingHost.Dim))) });
                await upsert;
            }),
            await Code(async () => await host.Client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { 12345 } }, Key(key))),
            await Code(async () => await host.Client.ReloadModelAsync(new ReloadModelRequest(), Key(key))),
            await Code(async () => await host.Client.GetInfoAsync(new GetInfoRequest(), Key(key))));
    }

    [Fact]
    public async Task WithoutAnAdminKeyAPublicServerRefusesAdminCallsAndStillServesReads()
    {
        await using var host = await ServingHost.StartAsync(Settings(host: "0.0.0.0"));
        var codes = await Calls(host, null);
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.OK), codes);
        var e = await Assert.ThrowsAsync<RpcException>(() => host.Client.DeleteItemsAsync(new DeleteItemsRequest { ItemIds = { 1 } }).ResponseAsync);
        Assert.Contains("--admin-key", e.Status.Detail);
    }

    [Fact]
    public async Task WithoutAnAdminKeyALoopbackOnlyServerAllowsAdminCalls()
    {
        await using var host = await ServingHost.StartAsync(Settings(host: "127.0.0.1"));
        Assert.Equal((StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.OK), await Calls(host, null));
    }

    [Fact]
    public async Task TheAdminKeyIsTheOnlyKeyForAdminCallsAndAlsoReads()
    {
        await using var host = await ServingHost.StartAsync(Settings(host: "0.0.0.0", apiKey: "reader", adminKey: "admin"));
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated), await Calls(host, null));
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated), await Calls(host, "guess"));
        Assert.Equal((StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.OK), await Calls(host, "reader"));
        Assert.Equal((StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.OK), await Calls(host, "admin"));
    }

    [Fact]
    public async Task AnAdminKeyAloneLeavesReadsOpen()
    {
        await using var host = await ServingHost.StartAsync(Settings(host: "0.0.0.0", adminKey: "admin"));
        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.Unauthenticated, StatusCode.OK), await Calls(host, null));
    }

    [Fact]
    public void EveryMethodHasARoleAndUnlistedMethodsAreAdmin()
    {
        string[] reads = ["Search", "SearchStream", "Embed", "SearchByVector", "GetInfo", "EvaluateQueries"];
        var methods = V1.Retrieval.Descriptor.Methods.Select(m => m.Name).ToArray();
        Assert.All(reads, name => Assert.Contains(name, methods));
        Assert.Equal(reads.Order(), ApiRoles.ReadMethods.Order());
        foreach (var name in methods) Assert.Equal(!reads.Contains(name), ApiRoles.IsAdmin($"/retrieval.v1.Retrieval/{name}"));
        Assert.True(ApiRoles.IsAdmin("/retrieval.v1.Retrieval/UpsertVectors"));
    }
}
