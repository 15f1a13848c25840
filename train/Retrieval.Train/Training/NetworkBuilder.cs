using Retrieval.Train.Models;

namespace Retrieval.Train.Training;

/// <summary>Builds the network a run trains: backbone, head and input normalisation from the options, and the pretrained backbone weights they name.</summary>
public static class NetworkBuilder
{
    /// <summary>
    /// The network for <paramref name="options"/> (initialised from libtorch's global generator: seed it first).
    /// <c>--pretrained imagenet-resnet18</c> loads the converted NuGet ResNet-18 with its input convention; a file path
    /// loads torchvision-named safetensors with ImageNet mean/std; none keeps the random initialisation.
    /// </summary>
    public static EmbeddingNetwork Build(TrainOptions options, Action<string>? log = null)
    {
        var imageNet = options.Pretrained == ImageNetResNet18.Name;
        var config = imageNet
            ? ImageNetResNet18.Config(options.EmbeddingSize, options.ImageSize)
            : ModelConfig.WithImageNetNormalization(options.Backbone, options.EmbeddingSize, options.ImageSize);
        var model = EmbeddingNetwork.Create(config);
        if (imageNet)
        {
            ImageNetResNet18.LoadInto(model);
            log?.Invoke($"backbone weights: ImageNet ResNet-18 from NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 ({ImageNetResNet18.ModelPath})");
        }
        else if (options.Pretrained is not null)
        {
            PretrainedWeights.LoadBackbone(model, options.Pretrained);
            log?.Invoke($"backbone weights: {options.Pretrained}");
        }
        if (options.FreezeBatchNorm) model.FreezeBatchNorm();
        if (options.FrozenStages > 0) model.FreezeStages(options.FrozenStages);
        return model;
    }
}
