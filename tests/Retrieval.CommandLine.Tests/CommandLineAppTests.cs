using System.CommandLine;

namespace Retrieval.CommandLine.Tests;

public sealed class CommandLineAppTests
{
    private static RootCommand App(Func<int> action)
    {
        var count = new Option<int>("--count") { Required = true };
        var run = new Command("run") { count };
        run.SetAction(_ => action());
        return new RootCommand("test app") { run };
    }

    [Fact]
    public void ACommandLineThatDoesNotParseIsAUsageErrorOnStandardError()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Usage, CommandLineApp.Run(App(() => 0), ["run", "--count", "many"], error));
        var text = error.ToString();
        Assert.Contains("run: usage: ", text);
        Assert.Contains("many", text);
        Assert.Contains("--help", text);
    }

    [Fact]
    public void AMissingRequiredOptionIsAUsageError() =>
        Assert.Equal(ExitCodes.Usage, CommandLineApp.Run(App(() => 0), ["run"], new StringWriter()));

    [Fact]
    public void TheActionsExitCodeIsReturned() =>
        Assert.Equal(7, CommandLineApp.Run(App(() => 7), ["run", "--count", "1"], new StringWriter()));

    [Fact]
    public void AUserErrorIsOneLineNamingTheCommand()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Failed, CommandLineApp.Run(App(() => throw new FileNotFoundException("x.onnx: model file not found")), ["run", "--count", "1"], error));
        Assert.EndsWith(" run: error: x.onnx: model file not found", error.ToString().TrimEnd());
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void ABugIsExitSeventyWithTheStackTrace()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Internal, CommandLineApp.Run(App(() => throw new NullReferenceException()), ["run", "--count", "1"], error));
        Assert.Contains("run: internal error: System.NullReferenceException", error.ToString());
    }

    [Fact]
    public async Task AnAsyncActionsExceptionIsReportedTheSameWay()
    {
        var count = new Option<int>("--count");
        var run = new Command("run") { count };
        run.SetAction(async (_, token) =>
        {
            await Task.Yield();
            throw new InvalidDataException("gallery.idx: checksum mismatch");
        });
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Failed, await CommandLineApp.RunAsync(new RootCommand { run }, ["run"], error));
        Assert.Contains("run: error: gallery.idx: checksum mismatch", error.ToString());
    }

    [Fact]
    public void HelpIsNotAnError()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Success, CommandLineApp.Run(App(() => 0), ["run", "--help"], error));
        Assert.Equal("", error.ToString());
    }
}
