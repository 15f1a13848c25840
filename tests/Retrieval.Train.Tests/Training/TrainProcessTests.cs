using Retrieval.CommandLine.Tests;

namespace Retrieval.Train.Tests.Training;

/// <summary>retrieval-train as make and CI run it: the shared exit codes, one error line, plain progress when redirected.</summary>
public sealed class TrainProcessTests
{
    [Fact]
    public async Task AMissingDataFolderIsOneErrorLineAndExitOne()
    {
        var (exit, output, error) = await AppProcess.RunAsync("retrieval-train", ["--data", "/nonexistent/emoji", "--device", "cpu"]);
        Assert.Equal(1, exit);
        AppProcess.AssertOneErrorLine(error, "retrieval-train", "/nonexistent/emoji");
        AppProcess.AssertPlain(output);
    }

    [Fact]
    public async Task ATinyRunWritesPlainProgressWhenRedirected()
    {
        using var images = new SyntheticImageSet(trainClasses: 6, testClasses: 3, imagesPerClass: 3, size: 20);
        var runs = Path.Combine(images.Root, "runs");
        var (exit, output, error) = await AppProcess.RunAsync("retrieval-train",
        [
            "--data", images.Root, "--device", "cpu", "--backbone", "resnet-small", "--output", runs, "--name", "tiny", "--epochs", "1", "--image-size", "16",
            "--eval-resize", "18", "--embedding-size", "8", "--classes-per-batch", "2", "--images-per-class", "2", "--val-fraction", "0.34",
            "--eval-batch-size", "8", "--threads", "1",
        ], TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, error);
        Assert.Contains("epoch 1/1: ", output);
        Assert.Contains("exported ", output);
        AppProcess.AssertPlain(output + error);
        Assert.True(File.Exists(Path.Combine(runs, "tiny", "model.onnx")));
    }
}
