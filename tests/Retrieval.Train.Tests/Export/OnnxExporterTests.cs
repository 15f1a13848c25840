using Google.Protobuf;
using Retrieval.Core.ModelMetadata;
using Retrieval.OnnxRuntime;
using Retrieval.Train.Export;
using Retrieval.Train.Export.Onnx;
using Retrieval.Train.Models;
using Retrieval.Train.Tests.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Export;

[Collection("TorchSharp")]
public sealed class OnnxExporterTests : IDisposable
{
    private readonly ExportTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void MetadataAndShapesReachTheEmbedder()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32, embeddingSize: 20);
        using var embedder = new OnnxEmbedder(_files.Export(net), new OnnxEmbedderOptions { Log = _ => { } });
        var info = embedder.Info;
        Assert.Equal(32, info.ImageSize);
        Assert.Equal(80, info.ResizeSize);
        Assert.Equal(20, info.EmbeddingSize);
        Assert.Equal([0.5f, 0.4f, 0.3f], info.Mean);
        Assert.Equal([0.25f, 0.2f, 0.3f], info.Std);
        Assert.Equal("resnet-small", info.Metadata[ModelMetadataKeys.Backbone]);
        Assert.Equal("mfcwms", info.Metadata[ModelMetadataKeys.Loss]);
        Assert.Equal("unit-test", info.Metadata[ModelMetadataKeys.Dataset]);
        Assert.Equal("test-revision", info.Metadata[ModelMetadataKeys.GitRevision]);
        Assert.Equal("{\"map_at_r\":0.25,\"precision_at_1\":0.5}", info.Metadata[ModelMetadataKeys.ValidationMetrics]);
        Assert.Equal("CPU", embedder.ExecutionProvider);
    }

    [Fact]
    public void BatchNormIsFoldedIntoTheConvolutions()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNet18, 32);
        var proto = OnnxExporter.Build(net, ExportTestFiles.Info);
        var ops = proto.Graph.Node.Select(n => n.OpType).ToList();
        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.Equal(20, ops.Count(o => o == "Conv"));   // resnet18: stem + 16 block convs + 3 projections
        Assert.Equal(8, ops.Count(o => o == "Add") - 1);  // 8 residual adds + the pooling sum
        Assert.Equal(17, proto.OpsetImport.Single().Version);
        var input = proto.Graph.Input.Single().Type.TensorType.Shape.Dim;
        Assert.Equal("batch", input[0].DimParam);
        Assert.Equal([3L, 32, 32], input.Skip(1).Select(d => d.DimValue));
    }

    [Fact]
    public void UnknownModuleFailsTheExportNamingIt()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32);
        net.Backbone.Chain.OfType<Sequential>().First().append("extra", nn.GELU());
        var path = Path.Combine(_files.Directory, "never.onnx");
        var error = Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(net, path, ExportTestFiles.Info));
        Assert.Contains("'backbone.layer1.extra'", error.Message);
        Assert.Contains("GELU", error.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_files.Directory));
    }

    [Fact]
    public void NonFiniteWeightsAreRefused()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32);
        using (no_grad()) net.Embedding.weight![0, 0] = float.NaN;
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Build(net, ExportTestFiles.Info));
        Assert.Contains("embedding.weight", error.Message);
    }

    [Fact]
    public void CorruptFileFailsToLoadClearly()
    {
        var path = Path.Combine(_files.Directory, "corrupt.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var error = Assert.Throws<ModelLoadException>(() => new OnnxEmbedder(path, new OnnxEmbedderOptions { Log = _ => { } }));
        Assert.Contains(path, error.Message);
        Assert.Contains("cannot load", error.Message);
        Assert.Contains("not found", Assert.Throws<ModelLoadException>(() => new OnnxEmbedder(path + ".missing")).Message);
    }

    [Fact]
    public void ForeignModelFailsToLoadNamingTheInput()
    {
        var graph = new OnnxGraphBuilder();
        var dims = new TensorShapeProto();
        dims.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 4 });
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = dims } };
        graph.Graph.Name = "foreign";
        graph.Graph.Input.Add(new ValueInfoProto { Name = "x", Type = type });
        graph.Graph.Output.Add(new ValueInfoProto { Name = "y", Type = type });
        graph.Node("Relu", "relu", ["x"]);
        graph.RenameLastOutput("y");
        var model = new ModelProto { IrVersion = OnnxExporter.IrVersion, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExporter.OpsetVersion });
        var path = Path.Combine(_files.Directory, "foreign.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var error = Assert.Throws<ModelLoadException>(() => new OnnxEmbedder(path, new OnnxEmbedderOptions { Log = _ => { } }));
        Assert.Contains("expected one input 'images', found [x]", error.Message);
    }

    [Fact]
    public void ModelWithoutRequiredMetadataFailsToLoadNamingTheKey()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32);
        var proto = OnnxExporter.Build(net, ExportTestFiles.Info);
        proto.MetadataProps.Remove(proto.MetadataProps.Single(p => p.Key == ModelMetadataKeys.ResizeSize));
        var path = Path.Combine(_files.Directory, "no-metadata.onnx");
        File.WriteAllBytes(path, proto.ToByteArray());
        var error = Assert.Throws<ModelLoadException>(() => new OnnxEmbedder(path, new OnnxEmbedderOptions { Log = _ => { } }));
        Assert.Contains($"missing metadata {ModelMetadataKeys.ResizeSize}", error.Message);
    }

    [Fact]
    public void EmbedderLogsOneLineNamingTheProviderAndSplitsLargeBatches()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32);
        var lines = new List<string>();
        using var embedder = new OnnxEmbedder(_files.Export(net), new OnnxEmbedderOptions { MaxBatchSize = 3, IntraOpThreads = 1, Log = lines.Add });
        Assert.Single(lines);
        Assert.Contains("CPU execution provider", lines[0]);
        OnnxParityTests.AssertParity(net, embedder, rand(7, 3, 32, 32));
        Assert.Throws<ArgumentException>(() => embedder.Embed(new float[10], 1));
    }

    [Fact]
    public void ConcurrentCallersGetTheSameEmbeddingsAsSequentialOnes()
    {
        using var scope = NewDisposeScope();
        using var net = TestNetworks.Create(BackboneNames.ResNetSmall, 32);
        using var embedder = new OnnxEmbedder(_files.Export(net), new OnnxEmbedderOptions { Log = _ => { } });
        var inputs = Enumerable.Range(0, 8).Select(_ => rand(2, 3, 32, 32).data<float>().ToArray()).ToList();
        var sequential = inputs.Select(x => embedder.Embed(x, 2)).ToList();
        var parallel = new float[8][];
        Parallel.For(0, 8, i => parallel[i] = embedder.Embed(inputs[i], 2));
        for (var i = 0; i < 8; i++) Assert.Equal(sequential[i], parallel[i]);
    }
}
