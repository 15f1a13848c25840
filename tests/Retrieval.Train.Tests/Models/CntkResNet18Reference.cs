using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Retrieval.Train.Export.Onnx;
using Retrieval.Train.Models;

namespace Retrieval.Train.Tests.Models;

/// <summary>
/// The package's own networks run by ONNX Runtime, the reference for the conversion: ResNetPreprocess.onnx (RGB to BGR,
/// minus the 224x224 mean image) and ResNet18.onnx, edited only so that it takes any batch and image size and returns
/// its last feature map [N, 512, h, w] (the file's graph ends in a fixed 7x7 average pool of a 1x3x224x224 input).
/// </summary>
internal sealed class CntkResNet18Reference : IDisposable
{
    private readonly InferenceSession _preprocess;
    private readonly InferenceSession _network;

    public CntkResNet18Reference(string directory)
    {
        var edited = Path.Combine(directory, "resnet18-feature-map.onnx");
        File.WriteAllBytes(edited, FeatureMapGraph(ImageNetResNet18.ModelPath).ToByteArray());
        _network = new InferenceSession(edited);
        _preprocess = new InferenceSession(ImageNetResNet18.PreprocessPath);
    }

    /// <summary>ResNetPreprocess then ResNet18 on RGB images in [0,1], [N,3,224,224]: the package's exact pipeline.</summary>
    public float[] PackagePipeline(float[] rgb01, int count)
    {
        var plane = 3 * 224 * 224;
        var maps = new List<float>();
        for (var i = 0; i < count; i++)
        {
            var scaled = rgb01.AsSpan(i * plane, plane).ToArray().Select(v => v * 255).ToArray();
            using var pre = _preprocess.Run([NamedOnnxValue.CreateFromTensor(_preprocess.InputMetadata.Keys.Single(), new DenseTensor<float>(scaled, [1, 3, 224, 224]))]);
            maps.AddRange(Run(pre.Single().AsTensor<float>().ToArray(), 1, 224));
        }
        return maps.ToArray();
    }

    /// <summary>ResNet18 on BGR(255 x) minus the per-channel mean, [N,3,S,S]: our network's input convention.</summary>
    public float[] ChannelMeanPipeline(float[] rgb01, int count, int size)
    {
        var mean = ImageNetResNet18.ChannelMean();
        var plane = size * size;
        var bgr = new float[rgb01.Length];
        for (var n = 0; n < count; n++)
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < plane; p++)
                    bgr[(n * 3 + 2 - c) * plane + p] = (float)(255 * rgb01[(n * 3 + c) * plane + p] - mean[c]);
        return Run(bgr, count, size);
    }

    private float[] Run(float[] input, int count, int size)
    {
        using var result = _network.Run([NamedOnnxValue.CreateFromTensor(_network.InputMetadata.Keys.Single(), new DenseTensor<float>(input, [count, 3, size, size]))]);
        return result.Single().AsTensor<float>().ToArray();
    }

    /// <summary>The file's graph with a free batch and image size, no final average pool, and the last ReLU's output as the graph output.</summary>
    private static ModelProto FeatureMapGraph(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var graph = model.Graph;
        var pool = graph.Node.Single(n => n.OpType == "AveragePool");
        graph.Node.Remove(pool);
        graph.ValueInfo.Clear();
        var input = graph.Input.Single(i => graph.Initializer.All(t => t.Name != i.Name));
        input.Type = Float4("N", "C", "H", "W");
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto { Name = pool.Input[0], Type = Float4("N", "C", "h", "w") });
        return model;
    }

    private static TypeProto Float4(params string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = d });
        return new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } };
    }

    public void Dispose()
    {
        _preprocess.Dispose();
        _network.Dispose();
    }
}
