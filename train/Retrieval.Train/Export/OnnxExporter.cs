using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Retrieval.Core.ModelMetadata;
using Retrieval.Train.Export.Onnx;
using Retrieval.Train.Models;
using static Retrieval.Train.Export.OnnxGraphBuilder;
using static TorchSharp.torch;
using Retrieval.Core.IO;

namespace Retrieval.Train.Export;

/// <summary>
/// Writes an <see cref="EmbeddingNetwork"/> as ONNX (opset 17, IR 8) computing its eval-mode forward pass:
/// input float32 [batch,3,S,S] in [0,1] → Sub mean / Div std → backbone (BatchNorm folded) →
/// GlobalAveragePool + GlobalMaxPool → Flatten → Gemm → x / max(‖x‖₂, 1e-12). Metadata keys: <see cref="ModelMetadataKeys"/>.
/// </summary>
public static class OnnxExporter
{
    /// <summary>ONNX operator set written (the newest the Debian onnx 1.12 checker validates).</summary>
    public const int OpsetVersion = 17;

    /// <summary>ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Export(EmbeddingNetwork model, string path, ModelExportInfo info)
    {
        var proto = Build(model, info);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    /// <summary>The ONNX model for <paramref name="model"/> without writing it.</summary>
    public static ModelProto Build(EmbeddingNetwork model, ModelExportInfo info)
    {
        Validate(model, info);
        using var scope = NewDisposeScope();
        var config = model.Config;
        var mean = Floats(model.InputMean);
        var std = Floats(model.InputStd);
        var embeddingSize = model.Embedding.out_features;
        var graph = new OnnxGraphBuilder();
        graph.Graph.Name = "retrieval_embedding_" + config.Backbone.Replace('-', '_');
        graph.Graph.Input.Add(TensorValue(ModelMetadataKeys.InputName, "batch", 3, config.ImageSize, config.ImageSize));
        graph.Graph.Output.Add(TensorValue(ModelMetadataKeys.OutputName, "batch", embeddingSize));

        var x = graph.Node("Sub", "normalize.sub_mean", [ModelMetadataKeys.InputName, graph.Initializer("input_mean", mean, 1, 3, 1, 1)]);
        x = graph.Node("Div", "normalize.div_std", [x, graph.Initializer("input_std", std, 1, 3, 1, 1)]);
        x = new ModuleGraphWriter(graph).Write("backbone", model.Backbone, x);
        var pooled = graph.Node("Add", "head.pool_sum",
            [graph.Node("GlobalAveragePool", "head.avg_pool", [x]), graph.Node("GlobalMaxPool", "head.max_pool", [x])]);
        var flat = graph.Node("Flatten", "head.flatten", [pooled], Int("axis", 1));
        var linear = graph.Node("Gemm", "embedding", [flat, graph.Initializer("embedding.weight", Floats(model.Embedding.weight!), model.Embedding.weight!.shape),
            graph.Initializer("embedding.bias", Floats(model.Embedding.bias!), embeddingSize)], Int("transB", 1));
        var norm = graph.Node("ReduceL2", "l2norm.norm", [linear], Ints("axes", [1]), Int("keepdims", 1));
        var clamped = graph.Node("Max", "l2norm.clamp", [norm, graph.Initializer("l2norm.eps", [1e-12f])]);
        graph.Node("Div", "l2norm.div", [linear, clamped]);
        graph.RenameLastOutput(ModelMetadataKeys.OutputName);

        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "RetrievalSystem",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph.Graph,
            DocString = $"{config.Backbone} embedding network, loss {info.Loss}, data set {info.Dataset}",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var (key, value) in Metadata(model, info, mean, std))
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    private static IEnumerable<(string, string)> Metadata(EmbeddingNetwork model, ModelExportInfo info, float[] mean, float[] std)
    {
        var c = CultureInfo.InvariantCulture;
        yield return (ModelMetadataKeys.FormatVersion, ModelMetadataKeys.CurrentFormatVersion);
        yield return (ModelMetadataKeys.ImageSize, model.Config.ImageSize.ToString(c));
        yield return (ModelMetadataKeys.ResizeSize, info.ResizeSize.ToString(c));
        yield return (ModelMetadataKeys.Mean, JsonSerializer.Serialize(mean));
        yield return (ModelMetadataKeys.Std, JsonSerializer.Serialize(std));
        yield return (ModelMetadataKeys.EmbeddingSize, model.Embedding.out_features.ToString(c));
        yield return (ModelMetadataKeys.Backbone, model.Config.Backbone);
        yield return (ModelMetadataKeys.Loss, info.Loss);
        yield return (ModelMetadataKeys.Dataset, info.Dataset);
        yield return (ModelMetadataKeys.ValidationMetrics, JsonSerializer.Serialize(info.ValidationMetrics));
        yield return (ModelMetadataKeys.GitRevision, info.GitRevision ?? GitRevision.Current());
    }

    private static void Validate(EmbeddingNetwork model, ModelExportInfo info)
    {
        if (info.ResizeSize < model.Config.ImageSize)
            throw new ArgumentException($"ResizeSize {info.ResizeSize} is smaller than the crop (image size) {model.Config.ImageSize}.", nameof(info));
        var bad = info.ValidationMetrics.Where(kv => !double.IsFinite(kv.Value)).Select(kv => kv.Key).ToList();
        if (bad.Count > 0) throw new ArgumentException($"Validation metrics are not finite: {string.Join(", ", bad)}.", nameof(info));
        foreach (var (name, parameter) in model.state_dict())
            if (parameter.is_floating_point() && !parameter.isfinite().all().item<bool>())
                throw new ArgumentException($"Model tensor '{name}' holds NaN or infinity; refusing to export.", nameof(model));
        var children = model.named_children().Select(c => c.name).Order().ToList();
        if (!children.SequenceEqual(["backbone", "embedding"]))
            throw new NotSupportedException($"ONNX export: EmbeddingNetwork has unexpected child modules ({string.Join(", ", children)}).");
    }

    private static ValueInfoProto TensorValue(string name, string batchDim, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchDim });
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static float[] Floats(Tensor t) => t.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
}
