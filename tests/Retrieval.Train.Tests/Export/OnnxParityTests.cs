using Retrieval.Core.Imaging;
using Retrieval.OnnxRuntime;
using Retrieval.Train.Models;
using Retrieval.Train.Tests.Models;
using SkiaSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Export;

/// <summary>
/// ONNX Runtime on the exported file computes what TorchSharp's eval-mode network computes, on random tensors and on
/// real PNG files (drawn with SkiaSharp) decoded and preprocessed by core's image pipeline.
/// </summary>
[Collection("TorchSharp")]
public sealed class OnnxParityTests : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(BackboneNames.ResNetSmall, 32, 32)]
    [InlineData(BackboneNames.ResNet18, 64, 32)]
    [InlineData(BackboneNames.ResNet50, 64, 4)]
    public void RandomTensorsAndDecodedPngsAtBatch1AndNMatchTorchSharp(string backbone, int imageSize, int imageCount)
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(backbone, imageSize);
        using var embedder = new OnnxEmbedder(_files.Export(net), new OnnxEmbedderOptions { Log = _ => { } });
        manual_seed(11);
        foreach (var batch in new[] { 1, 32 })
            AssertParity(net, embedder, rand(batch, 3, imageSize, imageSize));

        var images = WritePngs(imageCount).Select(path => ImageDecoder.DecodeFile(path)).ToList();
        foreach (var batch in new[] { images.Take(1).ToList(), images })
        {
            var actual = embedder.Embed(batch);
            var spec = embedder.Info.Preprocess;
            var x = tensor(batch.SelectMany(spec.ToEvalTensor).ToArray()).reshape(batch.Count, 3, imageSize, imageSize);
            float[] expected;
            using (no_grad()) expected = net.forward(x).data<float>().ToArray();
            Assert.Equal(batch.Count, actual.Length);
            var maxDiff = actual.SelectMany(row => row).Zip(expected, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(maxDiff <= Tolerance, $"{backbone}, {batch.Count} decoded images: max |torch - onnx| = {maxDiff:g3} > {Tolerance}");
        }
    }

    [Theory]
    [InlineData(BackboneNames.ResNetSmall)]
    [InlineData(BackboneNames.ResNet18)]
    public void ExportedFilePassesTheOfficialOnnxChecker(string backbone)
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(backbone, 32);
        var (exitCode, error) = ExportTestFiles.Check(_files.Export(net));
        Assert.True(exitCode == 0, $"onnx.checker failed: {error}");
    }

    [Fact]
    public void CheckerRejectsABrokenFileSoTheCheckerTestCanFail()
    {
        var path = Path.Combine(_files.Directory, "broken.onnx");
        File.WriteAllBytes(path, [0x08, 0x08, 0x3a, 0x05, 0x0a, 0x03, 0x22, 0x01, 0x78]);   // ir 8, a graph with a node of no op_type
        Assert.NotEqual(0, ExportTestFiles.Check(path).ExitCode);
    }

    internal static void AssertParity(EmbeddingNetwork net, OnnxEmbedder embedder, Tensor x)
    {
        var batch = (int)x.shape[0];
        float[] expected;
        using (no_grad()) expected = net.forward(x).data<float>().ToArray();
        var actual = embedder.Embed(x.contiguous().data<float>().ToArray(), batch);
        Assert.Equal(expected.Length, actual.Length);
        var maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= Tolerance, $"batch {batch}: max |torch - onnx| = {maxDiff:g3} > {Tolerance}");
    }

    /// <summary>Distinct pictures (background, rectangles, circles) of varying, non-square sizes, written as PNG.</summary>
    private List<string> WritePngs(int count)
    {
        var rng = new Random(5);
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var surface = SKSurface.Create(new SKImageInfo(70 + rng.Next(60), 70 + rng.Next(60)));
            var canvas = surface.Canvas;
            canvas.Clear(RandomColor(rng));
            using var paint = new SKPaint { IsAntialias = true };
            for (var s = 0; s < 4; s++)
            {
                paint.Color = RandomColor(rng);
                if (s % 2 == 0) canvas.DrawRect(rng.Next(60), rng.Next(60), 10 + rng.Next(40), 10 + rng.Next(40), paint);
                else canvas.DrawCircle(rng.Next(70), rng.Next(70), 5 + rng.Next(25), paint);
            }
            using var image = surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            var path = Path.Combine(_files.Directory, $"image{i}.png");
            File.WriteAllBytes(path, png.ToArray());
            paths.Add(path);
        }
        return paths;
    }

    private static SKColor RandomColor(Random rng) => new((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
}
