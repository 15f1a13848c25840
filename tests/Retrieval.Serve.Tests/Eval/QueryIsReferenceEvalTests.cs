using Retrieval.Core.IO;
using System.Text.Json;
using Retrieval.Cli.Eval;
using Retrieval.Core.Data;
using Retrieval.Train.Training;

namespace Retrieval.Serve.Tests.Eval;

/// <summary>
/// `retrieval eval` on CUB-200-2011 and Stanford Online Products (issue 11 item 2): the test split is the query set and
/// the reference set, each query's own image excluded, and the numbers equal the trainer's own test numbers for the
/// same model (test-metrics.json of a real retrieval-train run, whose exported model.onnx is what eval embeds with).
/// </summary>
[Collection("TorchSharp")]
public sealed class QueryIsReferenceEvalTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("eval-qir").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("cub")]
    [InlineData("sop")]
    public void Eval_matches_the_trainers_test_numbers(string format)
    {
        // The parent of the release folder: found as a user would point at it.
        string data = TestSplitFixtures.Write(format, Path.Combine(_root, format));
        var options = new TrainOptions
        {
            DataRoot = data, Backbone = "resnet-small", ImageSize = 16, EvalResize = 20, EmbeddingSize = 8, Epochs = 1,
            ClassesPerBatch = 2, ImagesPerClass = 2, Device = DeviceChoice.Cpu, OutputDir = Path.Combine(_root, "runs"), RunName = format,
            ValidationFraction = 0.3,
        };
        TrainingSession.Run(options, TextWriter.Null);
        var run = new RunDirectory(options.RunDirectory);
        var trained = JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(run.TestMetrics), JsonFiles.Options)!.Test;

        var result = Evaluator.Run(new EvalSettings(run.Onnx, data, Path.Combine(_root, format + "-eval"), BatchSize: 7, Ef: 64));

        int testImages = TestSplitFixtures.TestClasses * TestSplitFixtures.ImagesPerClass;
        Assert.True(result.QueryIsReference);
        Assert.Equal((testImages, testImages), (result.QueryImages, result.GalleryImages));
        Assert.Equal((testImages, 0), (result.Exact.Queries, result.Exact.ExcludedQueries));
        Assert.Equal(trained.Queries, result.Exact.Queries);
        Assert.Equal(trained.PrecisionAt1, result.Exact.PrecisionAt1, 1e-4);
        Assert.Equal(trained.RPrecision, result.Exact.RPrecision, 1e-4);
        Assert.Equal(trained.MapAtR, result.Exact.MapAtR, 1e-4);
        foreach (var (k, value) in trained.RecallAtK)
            Assert.Equal(value, result.Exact.RecallAtK[k], 1e-4);
        Assert.InRange(result.Exact.MapAtR, 1e-6, 1 - 1e-6);   // a non-degenerate ranking, so the comparison can fail

        // HNSW over 20 vectors with ef 64 is exact; its self-exclusion matches exact search's.
        foreach (var (metric, exact, hnsw) in result.MetricRows())
            Assert.True(Math.Abs(exact - hnsw) < 1e-12, $"{metric}: exact {exact} vs HNSW {hnsw}");
        Assert.Equal(1.0, result.AnnRecall);
        Assert.Contains("itself excluded", File.ReadAllText(Path.Combine(_root, format + "-eval", EvalFiles.Markdown)));
        Assert.True(DatasetLoader.Load(data).QueryIsReference);
    }
}
