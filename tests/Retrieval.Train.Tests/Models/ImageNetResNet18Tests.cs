using Google.Protobuf;
using Retrieval.Core.Imaging;
using Retrieval.OnnxRuntime;
using Retrieval.Train.Export.Onnx;
using Retrieval.Train.Models;
using Retrieval.Train.Tests.Export;
using SkiaSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Models;

/// <summary>
/// The NuGet ResNet-18 converted into our backbone: every tensor is mapped with its shape, and on decoded images our
/// TorchSharp network and its ONNX export compute what ONNX Runtime computes with the package's own files.
/// </summary>
[Collection("TorchSharp")]
public sealed class ImageNetResNet18Tests(ITestOutputHelper output) : IDisposable
{
    // Same input convention (BGR, 0-255, per-channel mean): float32 rounding only. Measured max |diff| / max |value|:
    // TorchSharp vs ONNX Runtime 1.5e-6 (feature maps, 224 px), our ONNX export 7.8e-7 (embeddings); tolerance 1e-4.
    private const double SameInputTolerance = 1e-4;

    // Against the package's exact pipeline (its 224x224 mean image instead of the per-channel average), measured on
    // these images: relative L2 error of the pooled features 5.1 %, smallest cosine 0.998; tolerance 8 %, cosine 0.995.
    private const double MeanImageTolerance = 0.08;
    private const double MeanImageCosine = 0.995;

    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void EveryBackboneTensorIsMappedFromTheGraphWithItsShape()
    {
        using var scope = NewDisposeScope();
        var weights = ImageNetResNet18.ReadWeights();
        using var net = EmbeddingNetwork.Create(ImageNetResNet18.Config(16, 64));
        var expected = net.Backbone.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(110, expected.Count);                 // 22 convolutions + 22 BatchNorms x 4: CNTK's 2-2-2-3 layout
        Assert.Equal(expected, weights.Keys.Order().ToList());
        ImageNetResNet18.LoadInto(net);   // checks every shape
        foreach (var (name, value) in net.Backbone.state_dict().Where(kv => weights.ContainsKey(kv.Key)))
            Assert.True(value.eq(weights[name]).all().item<bool>(), name);
        // The stem reads RGB: its input channels are the file's BGR ones reversed.
        var bgr = OnnxResNetImporter.Read(ImageNetResNet18.ModelPath, bgrInput: false)["conv1.weight"];
        Assert.True(weights["conv1.weight"].eq(bgr.flip(1)).all().item<bool>());
        Assert.False(weights["conv1.weight"].eq(bgr).all().item<bool>());
        var mean = ImageNetResNet18.ChannelMean();
        Assert.Equal([123.15, 115.90, 103.06], mean.Select(v => Math.Round(v, 2)));
        Assert.Equal(mean.Select(v => (float)(v / 255)), net.Config.Mean);
    }

    [Fact]
    public void AGraphThatIsNotAResNet18IsRejectedNamingTheLayer()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ImageNetResNet18.ModelPath));
        var stride2 = model.Graph.Node.Where(n => n.OpType == "Conv" && n.Attribute.Single(a => a.Name == "kernel_shape").Ints[0] == 3)
            .First(n => n.Attribute.Single(a => a.Name == "strides").Ints[0] == 2);
        var strides = stride2.Attribute.Single(a => a.Name == "strides");
        strides.Ints.Clear();
        strides.Ints.AddRange([1, 1]);
        var path = Path.Combine(_files.Directory, "not-resnet18.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var error = Assert.Throws<InvalidDataException>(() => OnnxResNetImporter.Read(path, bgrInput: true));
        Assert.Contains("layer2.0.conv1", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void TorchSharpAndItsOnnxExportReproduceOnnxRuntimeOnThePackagesFiles()
    {
        using var scope = NewDisposeScope();
        using var reference = new CntkResNet18Reference(_files.Directory);
        var images = DrawnImages(6);
        foreach (var size in new[] { 224, 64 })
        {
            manual_seed(3);
            using var net = EmbeddingNetwork.Create(ImageNetResNet18.Config(32, size));
            ImageNetResNet18.LoadInto(net);
            net.eval();
            var spec = new PreprocessSpec(size, size);
            var pixels = images.SelectMany(spec.ToEvalTensor).ToArray();
            var x = tensor(pixels).reshape(images.Count, 3, size, size);

            // TorchSharp backbone vs the package's network, same input convention: the feature maps.
            float[] ours;
            using (no_grad()) ours = net.Backbone.forward((x - net.InputMean) / net.InputStd).contiguous().data<float>().ToArray();
            var theirs = reference.ChannelMeanPipeline(pixels, images.Count, size);
            Assert.Equal(theirs.Length, ours.Length);
            AssertRelative(theirs, ours, SameInputTolerance, $"TorchSharp feature maps at {size} px");

            // Our ONNX export (embeddings) vs our head applied to the package network's maps.
            using var embedder = new OnnxEmbedder(_files.Export(net, $"imagenet-{size}.onnx"), new OnnxEmbedderOptions { Log = _ => { } });
            var exported = embedder.Embed(pixels, images.Count);
            AssertRelative(Head(net, theirs, images.Count), exported, SameInputTolerance, $"exported ONNX embeddings at {size} px");

            if (size != 224) continue;
            // Against the package's exact pipeline (mean image): the cost of the per-channel mean.
            var exact = reference.PackagePipeline(pixels, images.Count);
            var (relative, cosine) = PooledError(exact, ours, images.Count);
            output.WriteLine($"per-channel vs exact mean image at 224 px: pooled-feature relative L2 error {relative:P2}, min cosine {cosine:F5}");
            Assert.True(relative <= MeanImageTolerance && cosine >= MeanImageCosine, $"per-channel mean: relative error {relative:P2}, cosine {cosine:F5}");
            var exactEmbeddings = Head(net, exact, images.Count);
            var worst = exactEmbeddings.Zip(exported, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"  embeddings (exported ONNX vs head on the exact pipeline): max |diff| {worst:G3}");
        }
    }

    /// <summary>Asserts max |expected - actual| / max |expected| &lt;= tolerance and prints the measured ratio.</summary>
    private void AssertRelative(float[] expected, float[] actual, double tolerance, string what)
    {
        var scale = expected.Max(v => Math.Abs(v));
        var worst = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() / scale;
        output.WriteLine($"{what}: max |diff| / max |value| = {worst:G3} (max |value| {scale:G4})");
        Assert.True(worst <= tolerance, $"{what}: max |diff| / max |value| = {worst:G3} > {tolerance}");
    }

    /// <summary>Our head (GAP + GMP, Linear, L2 normalisation) on feature maps [N,512,h,w], in double precision.</summary>
    private static float[] Head(EmbeddingNetwork net, float[] maps, int count)
    {
        var weight = net.Embedding.weight!.to_type(ScalarType.Float64).data<double>().ToArray();
        var bias = net.Embedding.bias!.to_type(ScalarType.Float64).data<double>().ToArray();
        var (channels, dim) = ((int)net.Embedding.in_features, (int)net.Embedding.out_features);
        var area = maps.Length / (count * channels);
        var result = new float[count * dim];
        for (var n = 0; n < count; n++)
        {
            var pooled = Enumerable.Range(0, channels).Select(c =>
            {
                var cell = maps.AsSpan((n * channels + c) * area, area).ToArray();
                return cell.Average(v => (double)v) + cell.Max();
            }).ToArray();
            var e = Enumerable.Range(0, dim).Select(j => bias[j] + Enumerable.Range(0, channels).Sum(c => weight[j * channels + c] * pooled[c])).ToArray();
            var norm = Math.Sqrt(e.Sum(v => v * v));
            for (var j = 0; j < dim; j++) result[n * dim + j] = (float)(e[j] / norm);
        }
        return result;
    }

    /// <summary>Relative L2 error of the globally averaged features, and the smallest cosine between them, over the images.</summary>
    private static (double Relative, double MinCosine) PooledError(float[] expected, float[] actual, int count)
    {
        var per = expected.Length / count;
        var area = per / 512;
        double errors = 0, norms = 0, minCosine = 1;
        for (var n = 0; n < count; n++)
        {
            double[] Pool(float[] maps) => Enumerable.Range(0, 512).Select(c => maps.AsSpan(n * per + c * area, area).ToArray().Average(v => (double)v)).ToArray();
            var (a, b) = (Pool(expected), Pool(actual));
            errors += a.Zip(b, (p, q) => (p - q) * (p - q)).Sum();
            norms += a.Sum(v => v * v);
            minCosine = Math.Min(minCosine, a.Zip(b, (p, q) => p * q).Sum() / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v)));
        }
        return (Math.Sqrt(errors / norms), minCosine);
    }

    /// <summary>Pictures with textures a photo has (gradients, noise, edges, text), 256 x 256, PNG-encoded and decoded by core.</summary>
    private List<RgbImage> DrawnImages(int count)
    {
        var rng = new Random(23);
        var images = new List<RgbImage>();
        for (var i = 0; i < count; i++)
        {
            using var surface = SKSurface.Create(new SKImageInfo(256, 256));
            var canvas = surface.Canvas;
            using var paint = new SKPaint { IsAntialias = true };
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(256, 256), [Color(rng), Color(rng)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, 256, 256, paint);
            paint.Shader = null;
            for (var s = 0; s < 12; s++)
            {
                paint.Color = Color(rng).WithAlpha((byte)(128 + rng.Next(128)));
                if (s % 3 == 0) canvas.DrawRect(rng.Next(200), rng.Next(200), 10 + rng.Next(80), 10 + rng.Next(80), paint);
                else if (s % 3 == 1) canvas.DrawCircle(rng.Next(256), rng.Next(256), 5 + rng.Next(50), paint);
                else canvas.DrawText("RS" + s, rng.Next(200), 30 + rng.Next(220), new SKFont { Size = 20 + rng.Next(40) }, paint);
            }
            using var snapshot = surface.Snapshot();
            using var bitmap = SKBitmap.FromImage(snapshot);
            for (var y = 0; y < 256; y += 2)
                for (var xx = 0; xx < 256; xx += 2)
                {
                    var c = bitmap.GetPixel(xx, y);
                    var d = rng.Next(-24, 25);
                    bitmap.SetPixel(xx, y, new SKColor(Clamp(c.Red + d), Clamp(c.Green + d), Clamp(c.Blue + d)));
                }
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            images.Add(ImageDecoder.Decode(png.ToArray()));
        }
        return images;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
    private static SKColor Color(Random rng) => new((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
}
