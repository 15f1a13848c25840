using Retrieval.CommandLine;
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
        Assert.Equal(1, CommandLineApp.Run(TrainCommand.Create(), ["--data", "x", "--device", "tpu"], error));
        Assert.Contains("--device 'tpu'", error.ToString());
    }

    [Fact]
    public void AMissingDataFolderIsAnErrorExitCodeNamingIt()
    {
        var error = new StringWriter();
        Assert.Equal(1, CommandLineApp.Run(TrainCommand.Create(), ["--data", "/nonexistent/emoji", "--device", "cpu"], error));
        Assert.Contains("/nonexistent/emoji", error.ToString());
    }

    [Fact]
    public void EverySettingThatValidationNamesIsAnOption()
    {
        // TrainOptions.Validate once named a --prefetch the command line did not have.
        var error = new StringWriter();
        Assert.Equal(1, CommandLineApp.Run(TrainCommand.Create(), ["--data", "x", "--prefetch", "0"], error));
        Assert.Contains("--prefetch must be at least 1", error.ToString());
        var help = new StringWriter();
        var result = TrainCommand.Create().Parse(["--help"]);
        result.InvocationConfiguration.Output = help;
        result.Invoke();
        foreach (var named in System.Text.RegularExpressions.Regex.Matches(ValidationMessages(), "--[a-z-]+").Select(m => m.Value).Distinct())
            Assert.Contains(named, help.ToString());
    }

    /// <summary>Every message Validate can give, from options that are each wrong in one setting.</summary>
    private static string ValidationMessages()
    {
        var ok = new TrainOptions { DataRoot = "data/emoji" };
        TrainOptions[] wrong =
        [
            ok with { DataRoot = "" }, ok with { ImageSize = 1 }, ok with { EvalResize = 1 }, ok with { CropScaleMin = 0 },
            ok with { EmbeddingSize = 1 }, ok with { Epochs = 0 }, ok with { ClassesPerBatch = 1 }, ok with { ImagesPerClass = 0 },
            ok with { LearningRate = 0 }, ok with { LossLearningRateRatio = 0 }, ok with { WeightDecay = -1 }, ok with { WarmupEpochs = -1 },
            ok with { LrStep = 0 }, ok with { LrGamma = 0 }, ok with { Patience = 0 }, ok with { ValidationFraction = 0 },
            ok with { Threads = -1 }, ok with { EvalBatchSize = 0 }, ok with { PrefetchBatches = 0 }, ok with { RunName = "" },
            ok with { Pretrained = "/nope" }, ok with { Backbone = "resnet18", Pretrained = "imagenet-resnet18" },
        ];
        return string.Join("\n", wrong.Select(o => Assert.Throws<ArgumentException>(o.Validate).Message));
    }
}
