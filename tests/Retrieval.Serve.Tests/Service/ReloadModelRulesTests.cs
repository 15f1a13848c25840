using System.Diagnostics;
using Grpc.Core;
using Retrieval.Serve.Tests.Fakes;
using Retrieval.V1;

namespace Retrieval.Serve.Tests.Service;

/// <summary>ReloadModel opens only regular files inside the models folder and answers failures without telling what exists where.</summary>
public sealed class ReloadModelRulesTests : TempDirectoryTest
{
    private readonly string _models;

    public ReloadModelRulesTests()
    {
        _models = Directory.CreateDirectory(Path.Combine(Dir, "models")).FullName;
        FakeModelLoader.Write(Path.Combine(_models, "model.onnx"), 1);
        FakeModelLoader.Write(Path.Combine(_models, "v2.onnx"), -1);
        File.WriteAllText(Path.Combine(_models, "garbage.onnx"), "secret-token-1234");
        File.CreateSymbolicLink(Path.Combine(_models, "zero.onnx"), "/dev/zero");
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Model"] = Path.Combine(_models, "model.onnx"),
        ["Index"] = Path.Combine(Dir, "gallery"),
    };

    private static async Task<RpcException> Reload(ServingHost host, string path) =>
        await Assert.ThrowsAsync<RpcException>(() => host.Client.ReloadModelAsync(new ReloadModelRequest { ModelPath = path }).ResponseAsync);

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/etc/passwd")]
    [InlineData("/etc/no-such-file")]
    [InlineData("../gallery.idx")]
    [InlineData("sub/../../gallery.idx")]
    public async Task PathsOutsideTheModelsFolderAreRefusedAlikeWhetherTheyExistOrNot(string path)
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var clock = Stopwatch.StartNew();
        var e = await Reload(host, path);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal($"model_path '{path}' is outside the models folder: name a file inside it (the server's --models-dir).", e.Status.Detail);
    }

    [Fact]
    public async Task FilesInsideThatCannotBeServedAreClientStatusesWithoutExceptionText()
    {
        await using var host = await ServingHost.StartAsync(Settings());
        var missing = await Reload(host, "nope.onnx");
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var garbage = await Reload(host, "garbage.onnx");
        Assert.Equal(StatusCode.FailedPrecondition, garbage.StatusCode);
        Assert.DoesNotContain("secret-token", garbage.Status.Detail);
        Assert.DoesNotContain("Exception", garbage.Status.Detail);

        // A link to /dev/zero inside the folder: refused before it is opened (not a regular file), not hashed forever.
        var clock = Stopwatch.StartNew();
        var zero = await Reload(host, "zero.onnx");
        Assert.Equal(StatusCode.FailedPrecondition, zero.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");

        // The server still serves its first model, and updates are not stuck behind a lock.
        var reloaded = await host.Client.ReloadModelAsync(new ReloadModelRequest { ModelPath = "v2.onnx" });
        Assert.Equal(reloaded.ModelSha256, (await host.Client.GetInfoAsync(new GetInfoRequest())).ModelSha256);
    }
}
