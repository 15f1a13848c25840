using Retrieval.Inference;
using Retrieval.Train.Models;
using Retrieval.Train.Tests.Models;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Export;

/// <summary>ONNX Runtime on the exported file computes what TorchSharp's eval-mode network computes.</summary>
[Collection("TorchSharp")]
public sealed class OnnxParityTests : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(BackboneNames.ResNetSmall, 32)]
    [InlineData(BackboneNames.ResNet18, 64)]
    [InlineData(BackboneNames.ResNet50, 64)]
    public void RandomInputsAtBatch1And32MatchTorchSharp(string backbone, int imageSize)
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(backbone, imageSize);
        var path = _files.Export(net);
        using var embedder = new OnnxEmbedder(path, new OnnxEmbedderOptions { Log = _ => { } });
        manual_seed(11);
        foreach (var batch in new[] { 1, 32 })
        {
            var x = rand(batch, 3, imageSize, imageSize);
            AssertParity(net, embedder, x);
        }
    }

    [Fact]
    public void ExportedFilePassesTheOfficialOnnxChecker()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNet18, 32);
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
}
