namespace Retrieval.Train.Models;

/// <summary>The backbone names accepted by <see cref="ModelConfig.Backbone"/> (CLI, checkpoints and ONNX metadata).</summary>
public static class BackboneNames
{
    /// <summary>A narrow four-stage ResNet for 32–64 px images (3x3 stem, no max pool); trains from scratch on a CPU.</summary>
    public const string ResNetSmall = "resnet-small";

    /// <summary>torchvision's resnet18 layout (basic blocks 2-2-2-2).</summary>
    public const string ResNet18 = "resnet18";

    /// <summary>
    /// The ResNet-18 of CNTK's model zoo (the NuGet ImageNet weights, <see cref="ImageNetResNet18"/>): torchvision's
    /// resnet18 with a third basic block in the last stage (depths 2-2-2-3, 22 convolutions).
    /// </summary>
    public const string ResNet18Cntk = "resnet18-cntk";

    /// <summary>torchvision's resnet50 layout (bottleneck blocks 3-4-6-3).</summary>
    public const string ResNet50 = "resnet50";

    /// <summary>Every accepted name.</summary>
    public static readonly IReadOnlyList<string> All = [ResNetSmall, ResNet18, ResNet18Cntk, ResNet50];
}
