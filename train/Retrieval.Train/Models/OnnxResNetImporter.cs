using Retrieval.Train.Export.Onnx;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// Converts an ONNX basic-block ResNet feature extractor (such as CNTK's ResNet-18 in the ML.NET package, whose
/// initializers are named ParameterNN/ConstantNN) into torchvision-named backbone tensors (conv1.weight, bn1.running_mean,
/// layer2.0.downsample.0.weight, ...). Names are worthless there, so the graph is walked in its data-flow order: stem
/// conv-BN-ReLU-max-pool, then basic blocks (two 3x3 conv-BN on the branch; a 1x1 conv-BN shortcut where the block
/// changes shape, which starts a new stage; Add; ReLU) until the graph ends (a global average pool or the output). Every
/// node is checked for the operator, kernel, stride, padding, dilation, group and BatchNorm epsilon torchvision's
/// layers have; the caller checks the resulting names and shapes against its backbone. Pads may be torchvision's
/// symmetric ones or CNTK's asymmetric [p, p-1] at stride 2, which read the same pixels whenever the layer's input
/// size is even (image sizes divisible by 32).
/// </summary>
public static class OnnxResNetImporter
{
    private const float Epsilon = 1e-5f;

    /// <summary>
    /// The backbone tensors of <paramref name="path"/>; with <paramref name="bgrInput"/> the stem's input channels are
    /// reversed so the network reads RGB where the file's network read BGR.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path, bool bgrInput)
    {
        var graph = new OnnxGraphReader(path);
        var weights = new Dictionary<string, Tensor>();
        if (graph.DataInputs.Count != 1) throw graph.Bad($"expected one data input, found {graph.DataInputs.Count}");
        var x = ConvBatchNorm(graph, graph.Next(graph.DataInputs[0], "Conv", "conv1"), "conv1", "bn1", kernel: 7, stride: 2, weights);
        x = graph.Next(x, "Relu", "stem").Output[0];
        var pool = graph.Next(x, "MaxPool", "stem");
        CheckWindow(graph, pool, "maxpool", kernel: 3, stride: 2);
        x = pool.Output[0];
        var (stage, block) = (1, 0);
        while (graph.Consumers(x).Any(n => n.OpType == "Conv"))
        {
            var changesShape = graph.Consumers(x).Any(n => n.OpType == "Conv" && Kernel(n) == 1);
            if (changesShape && !(stage == 1 && block == 0)) (stage, block) = (stage + 1, 0);
            x = BasicBlock(graph, x, $"layer{stage}.{block}", changesShape ? 2 : 1, weights);
            block++;
        }
        var end = graph.Consumers(x);
        if (end.Any(n => n.OpType != "GlobalAveragePool" && n.OpType != "AveragePool") && !graph.Model.Graph.Output.Any(o => o.Name == x))
            throw graph.Bad($"after {stage} stage(s) the graph continues with {string.Join(", ", end.Select(n => n.OpType))}, not a global average pool");
        if (bgrInput) weights["conv1.weight"] = weights["conv1.weight"].flip(1).contiguous();
        return weights;
    }

    private static string BasicBlock(OnnxGraphReader graph, string input, string name, int stride, Dictionary<string, Tensor> weights)
    {
        var convs = graph.Consumers(input).Where(n => n.OpType == "Conv").ToList();
        var branch = convs.Where(c => Kernel(c) == 3).ToList();
        var shortcut = convs.Where(c => Kernel(c) == 1).ToList();
        if (branch.Count != 1 || shortcut.Count > 1 || convs.Count != branch.Count + shortcut.Count)
            throw graph.Bad($"{name}: expected one 3x3 conv and at most one 1x1 conv reading '{input}', found {convs.Count} conv(s)");
        var y = ConvBatchNorm(graph, branch[0], $"{name}.conv1", $"{name}.bn1", 3, stride, weights);
        y = graph.Next(y, "Relu", name).Output[0];
        y = ConvBatchNorm(graph, graph.Next(y, "Conv", name), $"{name}.conv2", $"{name}.bn2", 3, 1, weights);
        var other = shortcut.Count == 0 ? input : ConvBatchNorm(graph, shortcut[0], $"{name}.downsample.0", $"{name}.downsample.1", 1, stride, weights);
        var add = graph.Next(y, "Add", name);
        if (!add.Input.Contains(other)) throw graph.Bad($"{name}: the residual Add does not read the shortcut '{other}'");
        return graph.Next(add.Output[0], "Relu", name).Output[0];
    }

    private static string ConvBatchNorm(OnnxGraphReader graph, NodeProto node, string conv, string norm, int kernel, int stride, Dictionary<string, Tensor> weights)
    {
        CheckWindow(graph, node, conv, kernel, stride);
        if (OnnxGraphReader.Int(node, "group", 1) != 1) throw graph.Bad($"{conv}: grouped convolution");
        if (OnnxGraphReader.Ints(node, "dilations", [1, 1]).Any(d => d != 1)) throw graph.Bad($"{conv}: dilated convolution");
        if (node.Input.Count != 2) throw graph.Bad($"{conv}: the convolution has a bias; torchvision's has none");
        weights[$"{conv}.weight"] = graph.Initializer(node.Input[1]);

        var bn = graph.Next(node.Output[0], "BatchNormalization", norm);
        var epsilon = OnnxGraphReader.Float(bn, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - Epsilon) > 1e-9) throw graph.Bad($"{norm}: BatchNorm epsilon {epsilon}, expected {Epsilon}");
        if (OnnxGraphReader.Int(bn, "spatial", 1) != 1) throw graph.Bad($"{norm}: per-activation (spatial = 0) BatchNorm");
        string[] fields = ["weight", "bias", "running_mean", "running_var"];
        for (var i = 0; i < fields.Length; i++) weights[$"{norm}.{fields[i]}"] = graph.Initializer(bn.Input[i + 1]);
        return bn.Output[0];
    }

    /// <summary>Kernel k x k, stride s, and pads that read what torchvision's symmetric k/2 padding reads.</summary>
    private static void CheckWindow(OnnxGraphReader graph, NodeProto node, string name, int kernel, int stride)
    {
        var k = OnnxGraphReader.Ints(node, "kernel_shape", []);
        var s = OnnxGraphReader.Ints(node, "strides", [1, 1]);
        var pads = OnnxGraphReader.Ints(node, "pads", [0, 0, 0, 0]);
        var p = kernel / 2;
        bool PadOk(long begin, long end) => begin == p && (end == p || (stride == 2 && end == p - 1));
        if (!k.SequenceEqual([kernel, kernel]) || !s.SequenceEqual([stride, stride]) || pads.Length != 4 || !PadOk(pads[0], pads[2]) || !PadOk(pads[1], pads[3]))
            throw graph.Bad($"{name} ({node.Name}): kernel [{string.Join(",", k)}] stride [{string.Join(",", s)}] pads [{string.Join(",", pads)}], " +
                            $"expected kernel {kernel}x{kernel}, stride {stride}, pads {p} (or {p}/{p - 1} at stride 2)");
    }

    private static long Kernel(NodeProto conv) => OnnxGraphReader.Ints(conv, "kernel_shape", [0])[0];
}
