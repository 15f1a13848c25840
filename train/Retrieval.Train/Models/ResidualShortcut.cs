using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>Builds a residual block's projection shortcut (torchvision's "downsample": 0 = 1x1 conv, 1 = BatchNorm).</summary>
public static class ResidualShortcut
{
    /// <summary>The 1x1 conv+BN projection when shape changes, else null (identity shortcut).</summary>
    public static Sequential? Create(int inChannels, int outChannels, int stride) =>
        stride == 1 && inChannels == outChannels
            ? null
            : nn.Sequential(nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), nn.BatchNorm2d(outChannels));
}
