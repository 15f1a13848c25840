using Retrieval.CommandLine.Tests;
using Retrieval.Data.Tests.Building;

namespace Retrieval.Data.Tests.Commands;

/// <summary>retrieval-data as make runs it: output redirected, the shared exit codes and one error line.</summary>
public sealed class DataProcessTests : TempTreeTest
{
    [Fact]
    public async Task AMissingDownloadIsOneErrorLineAndExitOne()
    {
        var (exit, output, error) = await AppProcess.RunAsync("retrieval-data",
            ["fashion-mnist", "--cache", Path.Combine(Tree.Root, "no-cache"), "--out", Path.Combine(Tree.Root, "out")]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval-data fashion-mnist", "no-cache");
        Assert.Equal("", output);
    }

    [Fact]
    public async Task ARefusedFolderIsAUserErrorAndBuildIsThree()
    {
        Tree.Write("foreign/notes.txt", "\n", "not a data set");
        var (exit, _, error) = await AppProcess.RunAsync("retrieval-data", ["check", Path.Combine(Tree.Root, "foreign"), "--dataset", "emoji"]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval-data check", "foreign");
        (exit, _, _) = await AppProcess.RunAsync("retrieval-data", ["check", Path.Combine(Tree.Root, "absent"), "--dataset", "emoji", "--for", "build"]);
        Assert.Equal(3, exit);
    }

    [Fact]
    public async Task ABadOptionIsAUsageError()
    {
        var (exit, _, error) = await AppProcess.RunAsync("retrieval-data", ["fashion-mnist", "--per-class", "many"]);
        Assert.Equal(2, exit);
        Assert.Contains("retrieval-data fashion-mnist: usage: ", error);
    }

    [Fact]
    public async Task ABuildWritesPlainProgressWhenRedirected()
    {
        string cache = Path.Combine(Tree.Root, "cache", "dataset-fashion-mnist");
        Directory.CreateDirectory(cache);
        FashionMnistFixture.Write(cache);
        var (exit, output, error) = await AppProcess.RunAsync("retrieval-data",
            ["fashion-mnist", "--cache", Path.Combine(Tree.Root, "cache"), "--out", Path.Combine(Tree.Root, "fm"), "--per-class", "4"]);
        Assert.True(exit == 0, error);
        Assert.Contains("fashion-mnist images: 40/40", output);
        AppProcess.AssertPlain(output + error);
    }
}
