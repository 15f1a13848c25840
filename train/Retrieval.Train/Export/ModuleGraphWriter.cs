using Retrieval.Train.Models;
using TorchSharp.Modules;
using static Retrieval.Train.Export.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Retrieval.Train.Export;

/// <summary>
/// Translates a backbone's module tree into ONNX nodes: Conv2d (+ the BatchNorm2d after it, folded), ReLU,
/// MaxPool2d, Sequential, BasicBlock, Bottleneck and ResNetBackbone. Any other module, or a child module a known
/// module does not run, is a <see cref="NotSupportedException"/> naming its path and type.
/// </summary>
public sealed class ModuleGraphWriter(OnnxGraphBuilder graph)
{
    private const string Known = "Conv2d (+BatchNorm2d), ReLU, MaxPool2d, Sequential, BasicBlock, Bottleneck, ResNetBackbone";

    /// <summary>Emits <paramref name="module"/> applied to the value <paramref name="input"/>; returns the output value name.</summary>
    public string Write(string path, nn.Module module, string input) => module switch
    {
        ResNetBackbone backbone => WriteChain(path, backbone, backbone.Chain, input),
        Sequential sequential => WriteChain(path, sequential, sequential.children(), input),
        BasicBlock block => WriteResidual(path, block, block.Branch, block.Downsample, input),
        Bottleneck block => WriteResidual(path, block, block.Branch, block.Downsample, input),
        Conv2d conv => WriteConv(path, conv, null, input),
        ReLU => graph.Node("Relu", path, [input]),
        MaxPool2d pool => WriteMaxPool(path, pool, input),
        BatchNorm2d => throw new NotSupportedException($"ONNX export: BatchNorm2d '{path}' does not follow a Conv2d; only conv+BatchNorm pairs are exported (folded)."),
        _ => throw Unsupported(path, module),
    };

    private string WriteChain(string path, nn.Module parent, IEnumerable<nn.Module> chain, string x)
    {
        var modules = chain.ToList();
        var names = ChildNames(path, parent, modules);
        for (var i = 0; i < modules.Count; i++)
        {
            if (modules[i] is Conv2d conv && i + 1 < modules.Count && modules[i + 1] is BatchNorm2d norm)
            {
                x = WriteConv(names[conv], conv, norm, x);
                i++;
            }
            else x = Write(names[modules[i]], modules[i], x);
        }
        return x;
    }

    private string WriteResidual(string path, nn.Module block, IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm)> branch, Sequential? downsample, string input)
    {
        var covered = branch.SelectMany(p => new nn.Module[] { p.Conv, p.Norm }).ToList();
        if (downsample is not null) covered.Add(downsample);
        var names = ChildNames(path, block, covered);
        var y = input;
        for (var i = 0; i < branch.Count; i++)
        {
            y = WriteConv(names[branch[i].Conv], branch[i].Conv, branch[i].Norm, y);
            if (i < branch.Count - 1) y = graph.Node("Relu", $"{path}.relu{i + 1}", [y]);
        }
        var shortcut = downsample is null ? input : Write(names[downsample], downsample, input);
        return graph.Node("Relu", $"{path}.relu", [graph.Node("Add", $"{path}.add", [y, shortcut])]);
    }

    private string WriteConv(string path, Conv2d conv, BatchNorm2d? norm, string input)
    {
        if (conv.transposed || conv.padding_type is not null || conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new NotSupportedException($"ONNX export: Conv2d '{path}' uses transposition or a padding mode other than explicit zero padding.");
        var (weight, bias) = ConvBatchNormFolding.Fold(conv, norm);
        var w = graph.Initializer(path + ".weight", weight, conv.weight!.shape);
        var b = graph.Initializer(path + ".bias", bias, conv.out_channels);
        var pad = conv.padding!;
        return graph.Node("Conv", path, [input, w, b],
            Ints("kernel_shape", conv.kernel_size),
            Ints("strides", conv.stride),
            Ints("pads", [pad[0], pad[1], pad[0], pad[1]]),
            Ints("dilations", conv.dilation),
            Int("group", conv.groups));
    }

    private string WriteMaxPool(string path, MaxPool2d pool, string input)
    {
        var kernel = pool.kernel_size;
        var pad = pool.padding ?? [0, 0];
        return graph.Node("MaxPool", path, [input],
            Ints("kernel_shape", kernel),
            Ints("strides", pool.stride ?? kernel),
            Ints("pads", [pad[0], pad[1], pad[0], pad[1]]),
            Ints("dilations", pool.dilation ?? [1, 1]),
            Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    /// <summary>Paths of the children the parent runs; a registered child outside <paramref name="covered"/> is unsupported.</summary>
    private static Dictionary<nn.Module, string> ChildNames(string path, nn.Module parent, IReadOnlyCollection<nn.Module> covered)
    {
        var names = new Dictionary<nn.Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, child) in parent.named_children())
        {
            if (!covered.Contains(child, ReferenceEqualityComparer.Instance)) throw Unsupported($"{path}.{name}", child);
            names[child] = $"{path}.{name}";
        }
        if (names.Count != covered.Count)
            throw new NotSupportedException($"ONNX export: '{path}' runs a module that is not registered as its child.");
        return names;
    }

    private static NotSupportedException Unsupported(string path, nn.Module module) =>
        new($"ONNX export: module '{path}' of type {module.GetType().Name} is not supported (the exporter knows {Known}); refusing to write a model that would differ from the network.");
}
