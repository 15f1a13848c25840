using System.Text.Json;
using Retrieval.Train.Training;

namespace Retrieval.Train.Tests.Training;

[Collection("TorchSharp")]
public sealed class TrainingSessionTests : IDisposable
{
    private readonly SyntheticImageSet _images = new(trainClasses: 10, testClasses: 5, imagesPerClass: 3);
    private readonly string _runs = Directory.CreateTempSubdirectory("retrieval-session-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_runs, recursive: true);
    }

    [Fact]
    public void AnEndToEndRunFromAnInShopFolderWritesEveryRunFile()
    {
        var options = new TrainOptions
        {
            DataRoot = _images.Root,
            Loss = "mfcwms",
            Backbone = "resnet-small",
            ImageSize = 16,
            EvalResize = 16,
            EmbeddingSize = 8,
            Epochs = 2,
            ClassesPerBatch = 4,
            ImagesPerClass = 2,
            LearningRate = 3e-3,
            Device = DeviceChoice.Cpu,
            OutputDir = _runs,
            RunName = "session",
            RecallAtK = [1, 2],
        };
        var result = TrainingSession.Run(options, TextWriter.Null);

        var run = new RunDirectory(options.RunDirectory);
        foreach (var file in new[] { run.Config, run.Metrics, run.BestCheckpoint, run.LastCheckpoint, run.LearningCurve, run.TestMetrics, run.Onnx })
            Assert.True(File.Exists(file), $"missing {file}");
        Assert.Equal(2, File.ReadAllLines(run.Metrics).Length);
        var config = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(run.Config), TrainingJson.Options)!;
        Assert.Equal(options with { RecallAtK = config.RecallAtK }, config with { LossParameters = options.LossParameters });
        Assert.Equal(5, result.Test.Queries);
        Assert.InRange(result.Test.MapAtR, 0, 1);
    }
}
