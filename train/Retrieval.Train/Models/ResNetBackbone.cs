using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>A ResNet feature extractor with torchvision parameter names (conv1, bn1, layer1..layer4; no classifier).</summary>
public sealed class ResNetBackbone : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d? maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    private ResNetBackbone(string name, Conv2d stem, MaxPool2d? pool, Func<int, int, int, nn.Module<Tensor, Tensor>> block,
        int expansion, int[] widths, int[] depths) : base(name)
    {
        conv1 = stem;
        bn1 = nn.BatchNorm2d(stem.out_channels);
        relu = nn.ReLU();
        maxpool = pool;
        var channels = (int)stem.out_channels;
        var layers = new Sequential[4];
        for (var i = 0; i < 4; i++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (var j = 0; j < depths[i]; j++)
            {
                blocks.Add(block(channels, widths[i], j == 0 && i > 0 ? 2 : 1));
                channels = widths[i] * expansion;
            }
            layers[i] = nn.Sequential(blocks);
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);
        OutputChannels = channels;
        RegisterComponents();
        InitializeLikeTorchvision();
    }

    /// <summary>Channels of the final feature map (the head's input size).</summary>
    public int OutputChannels { get; }

    /// <summary>The modules in forward order; forward and the ONNX exporter both walk exactly this list.</summary>
    public IReadOnlyList<nn.Module<Tensor, Tensor>> Chain =>
        maxpool is null ? [conv1, bn1, relu, layer1, layer2, layer3, layer4] : [conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4];

    /// <summary>The trainable stages in forward order: the stem (conv1, bn1), then layer1..layer4 (what --frozen-stages counts).</summary>
    public IReadOnlyList<IReadOnlyList<nn.Module>> Stages => [[conv1, bn1], [layer1], [layer2], [layer3], [layer4]];

    /// <summary>Small ResNet for 32–64 px inputs: 3x3 stride-1 stem, no max pool, one basic block per stage, widths 32–256.</summary>
    public static ResNetBackbone Small() =>
        new(BackboneNames.ResNetSmall, nn.Conv2d(3, 32, 3, padding: 1, bias: false), null,
            (i, w, s) => new BasicBlock(i, w, s), 1, [32, 64, 128, 256], [1, 1, 1, 1]);

    /// <summary>torchvision resnet18 (ImageNet layout, 512 output channels).</summary>
    public static ResNetBackbone ResNet18() =>
        new(BackboneNames.ResNet18, nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false), nn.MaxPool2d(3, 2, 1),
            (i, w, s) => new BasicBlock(i, w, s), 1, [64, 128, 256, 512], [2, 2, 2, 2]);

    /// <summary>CNTK's ResNet-18 (resnet18 with depths 2-2-2-3, 512 output channels): the layout of the NuGet ImageNet weights.</summary>
    public static ResNetBackbone ResNet18Cntk() =>
        new(BackboneNames.ResNet18Cntk, nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false), nn.MaxPool2d(3, 2, 1),
            (i, w, s) => new BasicBlock(i, w, s), 1, [64, 128, 256, 512], [2, 2, 2, 3]);

    /// <summary>torchvision resnet50 (ImageNet layout, 2048 output channels).</summary>
    public static ResNetBackbone ResNet50() =>
        new(BackboneNames.ResNet50, nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false), nn.MaxPool2d(3, 2, 1),
            (i, w, s) => new Bottleneck(i, w, s), Bottleneck.Expansion, [64, 128, 256, 512], [3, 4, 6, 3]);

    /// <summary>The backbone for a name in <see cref="BackboneNames.All"/>.</summary>
    public static ResNetBackbone Create(string backbone) => backbone switch
    {
        BackboneNames.ResNetSmall => Small(),
        BackboneNames.ResNet18 => ResNet18(),
        BackboneNames.ResNet18Cntk => ResNet18Cntk(),
        BackboneNames.ResNet50 => ResNet50(),
        _ => throw new ArgumentException($"Backbone '{backbone}' is unknown; expected one of: {string.Join(", ", BackboneNames.All)}.", nameof(backbone)),
    };

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var module in Chain) x = module.forward(x);
        return x.MoveToOuterDisposeScope();
    }

    private void InitializeLikeTorchvision()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv) nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            else if (module is BatchNorm2d norm)
            {
                norm.weight!.fill_(1);
                norm.bias!.zero_();
            }
        }
    }
}
