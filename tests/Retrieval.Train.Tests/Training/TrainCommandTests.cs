using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

[Collection("TorchSharp")]
public sealed class TrainCommandTests
{
    [Fact]
    public void LossParametersParseAsInvariantNumbers()
    {
        var p = TrainCommand.ParseLossParameters(["alpha=0.01", "Beta=80", "lambda = 0.8"]);
        Assert.Equal(0.01, p["alpha"]);
        Assert.Equal(80, p["beta"]);
        Assert.Equal(0.8, p["lambda"]);
    }

    [Theory]
    [InlineData("alpha", "expected name=number")]
    [InlineData("alpha=abc", "expected name=number")]
    [InlineData("=1", "expected name=number")]
    [InlineData("alpha=NaN", "expected name=number")]
    public void MalformedLossParametersAreRejected(string pair, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => TrainCommand.ParseLossParameters([pair])).Message);

    [Fact]
    public void ADuplicateLossParameterIsRejected() =>
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => TrainCommand.ParseLossParameters(["a=1", "A=2"])).Message);

    [Fact]
    public void InvalidOptionsNameTheOption()
    {
        var ok = new TrainOptions { DataRoot = "data/emoji" };
        ok.Validate();
        Assert.Contains("--image-size", Assert.Throws<ArgumentException>(() => (ok with { ImageSize = 4 }).Validate()).Message);
        Assert.Contains("--eval-resize", Assert.Throws<ArgumentException>(() => (ok with { EvalResize = 40 }).Validate()).Message);
        Assert.Contains("--lr", Assert.Throws<ArgumentException>(() => (ok with { LearningRate = double.NaN }).Validate()).Message);
        Assert.Contains("--name", Assert.Throws<ArgumentException>(() => (ok with { RunName = "a/b" }).Validate()).Message);
        Assert.Contains("--pretrained", Assert.Throws<ArgumentException>(() => (ok with { Pretrained = "/nope.safetensors" }).Validate()).Message);
        Assert.Contains("needs --backbone resnet18-cntk", Assert.Throws<ArgumentException>(() => (ok with { Backbone = "resnet18", Pretrained = "imagenet-resnet18" }).Validate()).Message);
        (ok with { Backbone = "resnet18-cntk", Pretrained = "imagenet-resnet18" }).Validate();
    }

    [Theory]
    [InlineData(null, "resnet18-cntk", "imagenet-resnet18")]
    [InlineData(null, "resnet-small", null)]
    [InlineData("none", "resnet18-cntk", null)]
    [InlineData("NONE", "resnet18", null)]
    [InlineData("w.safetensors", "resnet18", "w.safetensors")]
    public void PretrainedDefaultsToTheImageNetWeightsOnlyForTheBackboneTheyFit(string? given, string backbone, string? expected) =>
        Assert.Equal(expected, TrainCommand.PretrainedChoice(given, backbone));

    [Fact]
    public void HelpListsTheOptions()
    {
        var output = new StringWriter();
        var result = TrainCommand.Create().Parse(["--help"]);
        result.InvocationConfiguration.Output = output;
        Assert.Equal(0, result.Invoke());
        foreach (var option in new[] { "--data", "--loss", "--backbone", "--image-size", "--embedding-size", "--epochs", "--classes-per-batch",
                     "--images-per-class", "--lr", "--loss-lr-ratio", "--seed", "--device", "--output", "--resume", "--freeze-bn", "--patience" })
            Assert.Contains(option, output.ToString());
    }

    [Fact]
    public void AnUnknownDeviceIsAnErrorExitCode()
    {
        var error = new StringWriter();
        var result = TrainCommand.Create().Parse(["--data", "x", "--device", "tpu"]);
        var old = Console.Error;
        Console.SetError(error);
        try { Assert.Equal(1, result.Invoke()); }
        finally { Console.SetError(old); }
        Assert.Contains("--device 'tpu'", error.ToString());
    }

    [Fact]
    public void AMissingDataFolderIsAnErrorExitCodeNamingIt()
    {
        var error = new StringWriter();
        var result = TrainCommand.Create().Parse(["--data", "/nonexistent/emoji", "--device", "cpu"]);
        var old = Console.Error;
        Console.SetError(error);
        try { Assert.Equal(1, result.Invoke()); }
        finally { Console.SetError(old); }
        Assert.Contains("/nonexistent/emoji", error.ToString());
    }
}
