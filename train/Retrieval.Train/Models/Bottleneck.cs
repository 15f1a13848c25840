using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>torchvision's ResNet bottleneck (v1.5: stride on the 3x3 conv): 1x1, 3x3, 1x1 conv+BN, expansion 4.</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Output channels = width x Expansion.</summary>
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;
    private readonly Sequential? downsample;

    /// <summary>A block from <paramref name="inChannels"/> through <paramref name="width"/> to width x 4 channels.</summary>
    public Bottleneck(int inChannels, int width, int stride) : base(nameof(Bottleneck))
    {
        var outChannels = width * Expansion;
        conv1 = nn.Conv2d(inChannels, width, 1, bias: false);
        bn1 = nn.BatchNorm2d(width);
        conv2 = nn.Conv2d(width, width, 3, stride: stride, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(width);
        conv3 = nn.Conv2d(width, outChannels, 1, bias: false);
        bn3 = nn.BatchNorm2d(outChannels);
        downsample = ResidualShortcut.Create(inChannels, outChannels, stride);
        RegisterComponents();
    }

    /// <summary>The three conv+BN pairs in order.</summary>
    public IReadOnlyList<(Conv2d Conv, BatchNorm2d Norm)> Branch => [(conv1, bn1), (conv2, bn2), (conv3, bn3)];

    /// <summary>The projection shortcut (conv+BN), or null for identity.</summary>
    public Sequential? Downsample => downsample;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.relu(bn1.forward(conv1.forward(x)));
        y = nn.functional.relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        var shortcut = downsample is null ? x : downsample.forward(x);
        return nn.functional.relu(y + shortcut).MoveToOuterDisposeScope();
    }
}
