using System.Text.Json;
using Grpc.Core;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;

namespace Retrieval.CommandLine.Tests;

public sealed class ErrorPolicyTests
{
    public static TheoryData<Exception> UserErrors() => new()
    {
        new ArgumentException("--k 0: expected at least 1"),
        new FileNotFoundException("model.onnx: model file not found"),
        new DirectoryNotFoundException("data/emoji: no such folder"),
        new UnauthorizedAccessException("runs/x: permission denied"),
        new InvalidDataException("gallery.idx: checksum mismatch"),
        new JsonException("config.json: bad token"),
        new DatasetFormatException("list_eval_partition.txt", 3, "item_id", "missing"),
        new ImageDecodeException("not a PNG or JPEG", "a.png"),
        new RpcException(new Status(StatusCode.Unavailable, "connection refused")),
        new CommandFailedException("3 of 200 calls failed"),
        Thrown(() => throw new InvalidOperationException("runs/x already holds a run")),
    };

    [Theory]
    [MemberData(nameof(UserErrors))]
    public void UserErrorsAreOneLineAndExitOne(Exception e)
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Failed, ErrorPolicy.Report(e, "retrieval eval", error));
        var lines = error.ToString().TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("retrieval eval: error: ", lines[0]);
    }

    [Fact]
    public void AGrpcStatusReadsAsCodeAndDetail() =>
        Assert.Equal("Unavailable: connection refused", ErrorPolicy.Describe(new RpcException(new Status(StatusCode.Unavailable, "connection refused"))));

    [Fact]
    public void TheRuntimesInvalidOperationIsABugWithItsStackTrace()
    {
        var bug = Thrown(() => { _ = new List<int>().First(); });   // Enumerable.First: "Sequence contains no elements", from System.Linq
        Assert.False(ErrorPolicy.IsUserError(bug));
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Internal, ErrorPolicy.Report(bug, "retrieval-train", error));
        Assert.StartsWith("retrieval-train: internal error: System.InvalidOperationException", error.ToString());
        Assert.Contains(" at ", error.ToString());
        Assert.Contains("this is a bug", error.ToString());
    }

    [Fact]
    public void AnAssemblyThatDoesNotLoadIsABugNotAMissingInputFile()
    {
        Assert.False(ErrorPolicy.IsUserError(new FileNotFoundException("Could not load file or assembly", "Grpc.Core.Api, Version=2.0.0.0, Culture=neutral, PublicKeyToken=d754f35622e28bad")));
        Assert.False(ErrorPolicy.IsUserError(new FileLoadException("Could not load file or assembly")));
        Assert.True(ErrorPolicy.IsUserError(new FileNotFoundException("model file not found", "runs/default/model.onnx")));
    }

    [Fact]
    public void UnexpectedExceptionsAreBugs()
    {
        Assert.False(ErrorPolicy.IsUserError(Thrown(() => throw new NullReferenceException())));
        Assert.False(ErrorPolicy.IsUserError(new IndexOutOfRangeException()));
    }

    [Fact]
    public void CancellationIsAnInterruption()
    {
        var error = new StringWriter();
        Assert.Equal(ExitCodes.Interrupted, ErrorPolicy.Report(new OperationCanceledException(), "retrieval-bench load", error));
        Assert.Equal("retrieval-bench load: interrupted", error.ToString().Trim());
    }

    [Fact]
    public void AMultiLineMessageIsIndentedUnderItsFirstLine()
    {
        var error = new StringWriter();
        ErrorPolicy.Report(new CommandFailedException("server exited with code 1:\nline a\nline b"), "retrieval-bench load", error);
        Assert.Equal("retrieval-bench load: error: server exited with code 1:\n  line a\n  line b", error.ToString().TrimEnd().ReplaceLineEndings("\n"));
    }

    private static Exception Thrown(Action action)
    {
        try { action(); }
        catch (Exception e) { return e; }
        throw new InvalidOperationException("the action did not throw");
    }
}
