using System.Buffers.Binary;
using System.Text;
using Retrieval.Cli.Commands;
using Retrieval.Cli.Eval;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Core.Metrics;
using Retrieval.Core.Pictures;
using Retrieval.OnnxRuntime;
using static TorchSharp.torch;

namespace Retrieval.Serve.Tests.Eval;

/// <summary>`retrieval eval` on an In-Shop fixture in the exact release format with a tiny exported network.</summary>
[Collection("TorchSharp")]
public sealed class EvaluatorTests(InShopEvalFixture fixture) : IClassFixture<InShopEvalFixture>
{
    private const int Queries = InShopEvalFixture.Items * InShopEvalFixture.QueriesPerItem;
    private const int Gallery = InShopEvalFixture.Items * InShopEvalFixture.GalleryPerItem;

    [Fact]
    public void CommandWritesSaneReportsBesideTheModelAndExactAgreesWithHnsw()
    {
        int rc = EvalCommand.Create().Parse(["--model", fixture.ModelPath, "--data", fixture.DataRoot, "--batch", "5", "--ef", "64"]).Invoke();
        Assert.Equal(0, rc);

        var result = EvalFiles.Read(Path.Combine(fixture.RunDir, EvalFiles.Json));
        Assert.Equal((Queries, Gallery, InShopEvalFixture.EmbeddingSize), (result.QueryImages, result.GalleryImages, result.EmbeddingSize));
        Assert.Equal((Queries, 0), (result.Exact.Queries, result.Exact.ExcludedQueries));
        Assert.Equal(RetrievalMetrics.InShopRecallAtK, result.Exact.RecallAtK.Keys.Order());
        foreach (var (metric, exact, hnsw) in result.MetricRows())
        {
            Assert.InRange(exact, 0.0, 1.0);
            Assert.True(Math.Abs(exact - hnsw) < 1e-12, $"{metric}: exact {exact} vs HNSW {hnsw}");
        }
        var recall = result.Exact.RecallAtK.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        Assert.Equal(recall.Order(), recall);
        Assert.Equal(1.0, result.Exact.RecallAtK[50]);   // 18 gallery images < 50: every query's item is found
        Assert.Equal(result.Exact.PrecisionAt1, result.Exact.RecallAtK[1], 12);
        Assert.Equal(1.0, result.AnnRecall);
        Assert.True(result.Throughput.ImagesPerSecond > 0 && result.Throughput.HnswQueriesPerSecond > 0 && result.Throughput.ExactQueriesPerSecond > 0);
        var markdown = File.ReadAllText(Path.Combine(fixture.RunDir, EvalFiles.Markdown));
        Assert.Contains("| MAP@R |", markdown);
        Assert.Contains($"]({EvalFiles.Grid})", markdown);
        Assert.Contains($"]({EvalFiles.RecallCurve})", markdown);
        var grid = ImageDecoder.DecodeFile(Path.Combine(fixture.RunDir, EvalFiles.Grid));
        var defaults = new RetrievalGridSettings();
        var layout = new RetrievalGridLayout(defaults.Queries, defaults.K, defaults.CellSize);
        Assert.Equal((layout.Width, layout.Height), (grid.Width, grid.Height));   // 8 of the 12 queries, top-5 each
        var curve = ImageDecoder.DecodeFile(Path.Combine(fixture.RunDir, EvalFiles.RecallCurve));
        Assert.Equal((800, 500), (curve.Width, curve.Height));

        var gallery = ReadNpy(Path.Combine(fixture.RunDir, EvalFiles.GalleryEmbeddings), out int rows, out int columns);
        Assert.Equal((Gallery, InShopEvalFixture.EmbeddingSize), (rows, columns));
        for (int r = 0; r < rows; r++)
            Assert.Equal(1.0, Math.Sqrt(gallery.AsSpan(r * columns, columns).ToArray().Sum(v => (double)v * v)), 4);
        Assert.Empty(Directory.EnumerateFiles(fixture.RunDir, "*.tmp-*"));
    }

    [Fact]
    public void ExactMetricsFromOnnxEqualThoseFromTorchSharpEmbeddings()
    {
        var outDir = Path.Combine(fixture.Root, "cross-check");
        var onnx = Evaluator.Run(new EvalSettings(fixture.ModelPath, fixture.DataRoot, outDir, BatchSize: 4)).Exact;

        var dataset = DatasetLoader.Load(fixture.DataRoot);
        var codes = new LabelCodes();
        var queryLabels = codes.Encode(dataset.Query);
        var galleryLabels = codes.Encode(dataset.Gallery);
        var torch = RetrievalMetrics.EvaluateExact(TorchEmbed(dataset, dataset.Query), queryLabels, TorchEmbed(dataset, dataset.Gallery), galleryLabels,
            InShopEvalFixture.EmbeddingSize, EvaluationMode.QueryVsGallery, RetrievalMetrics.InShopRecallAtK);

        Assert.Equal(Queries, torch.Queries);
        Assert.Equal(torch.PrecisionAt1, onnx.PrecisionAt1, 1e-4);
        Assert.Equal(torch.RPrecision, onnx.RPrecision, 1e-4);
        Assert.Equal(torch.MapAtR, onnx.MapAtR, 1e-4);
        foreach (var (k, value) in torch.RecallAtK)
            Assert.Equal(value, onnx.RecallAtK[k], 1e-4);
        Assert.InRange(onnx.MapAtR, 1e-6, 1 - 1e-6);   // a non-degenerate ranking, so the comparison can fail
    }

    [Fact]
    public void MissingImageIsReportedByPathBeforeAnythingIsWritten()
    {
        var root = Path.Combine(fixture.Root, "missing");
        CopyDirectory(fixture.DataRoot, root);
        var victim = DatasetLoader.Load(root).Gallery[2];
        File.Delete(DatasetLoader.Load(root).AbsolutePath(victim));
        var outDir = Path.Combine(fixture.Root, "missing-out");

        var error = Assert.Throws<FileNotFoundException>(() => Evaluator.Run(new EvalSettings(fixture.ModelPath, root, outDir)));
        Assert.Contains("1 of 30 images missing", error.Message);
        Assert.Contains(victim.RelativePath.Replace('/', Path.DirectorySeparatorChar), error.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void CorruptImageIsReportedByPathAndNothingIsWritten()
    {
        var root = Path.Combine(fixture.Root, "corrupt");
        CopyDirectory(fixture.DataRoot, root);
        var dataset = DatasetLoader.Load(root);
        var victim = dataset.AbsolutePath(dataset.Query[1]);
        File.WriteAllBytes(victim, File.ReadAllBytes(victim)[..40]);
        var outDir = Path.Combine(fixture.Root, "corrupt-out");

        var error = Assert.Throws<ImageDecodeException>(() => Evaluator.Run(new EvalSettings(fixture.ModelPath, root, outDir, BatchSize: 4)));
        Assert.Equal(victim, error.Path);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void MissingModelIsAClearError()
    {
        var model = Path.Combine(fixture.Root, "nowhere", "model.onnx");
        var error = Assert.Throws<ModelLoadException>(() => Evaluator.Run(new EvalSettings(model, fixture.DataRoot, fixture.Root)));
        Assert.Contains(model, error.Message);
    }

    private float[] TorchEmbed(RetrievalDataset dataset, IReadOnlyList<DatasetItem> items)
    {
        using var scope = NewDisposeScope();
        var spec = new PreprocessSpec(InShopEvalFixture.ResizeSize, InShopEvalFixture.ImageSize);
        var pixels = items.SelectMany(item => spec.ToEvalTensor(ImageDecoder.DecodeFile(dataset.AbsolutePath(item)))).ToArray();
        using var noGrad = no_grad();
        var x = tensor(pixels).reshape(items.Count, 3, InShopEvalFixture.ImageSize, InShopEvalFixture.ImageSize);
        return fixture.Network.forward(x).data<float>().ToArray();
    }

    private static float[] ReadNpy(string path, out int rows, out int columns)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("\u0093NUMPY", Encoding.Latin1.GetString(bytes, 0, 6));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        var shape = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..].Split(')')[0].Split(',', StringSplitOptions.TrimEntries);
        (rows, columns) = (int.Parse(shape[0]), int.Parse(shape[1]));
        var values = new float[(bytes.Length - 10 - headerLength) / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + i * 4));
        Assert.Equal(rows * columns, values.Length);
        return values;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
