using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// The ImageNet-trained ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (MIT; CNTK 2.6
/// export, restored with the build and copied to the output folder as DnnImageModels/ResNet18Onnx/ResNet18.onnx and
/// DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx). Its layout is CNTK's ResNet-18, which has a third basic
/// block in the last stage (<see cref="BackboneNames.ResNet18Cntk"/>, depths 2-2-2-3). That network reads BGR pixels in 0-255 minus a 224x224 mean
/// image. The conversion folds this into our network: the stem's input channels are reversed (so it reads RGB), and
/// the in-graph normalisation becomes mean = the mean image's per-channel average / 255, std = 1/255, so that
/// (x - mean) / std = 255 x - channel mean for x in [0, 1]. Using the per-channel average instead of the full mean
/// image is the one approximation (the mean image varies by a few grey levels around it; its measured cost on the
/// features is in docs/training.md); it is what lets the network run at any input size.
/// </summary>
public static class ImageNetResNet18
{
    /// <summary>The <c>--pretrained</c> value that selects these weights.</summary>
    public const string Name = "imagenet-resnet18";

    /// <summary>The package's ResNet18.onnx in the output folder.</summary>
    public static string ModelPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The package's ResNetPreprocess.onnx (RGB to BGR, minus the mean image) in the output folder.</summary>
    public static string PreprocessPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    /// <summary>The in-graph input standard deviation of the converted network: 1/255 per channel.</summary>
    public static readonly IReadOnlyList<float> InputStd = [1 / 255f, 1 / 255f, 1 / 255f];

    /// <summary>The network configuration the converted weights expect (resnet18-cntk, input mean/std folded as above).</summary>
    public static ModelConfig Config(int embeddingSize, int imageSize) =>
        new(BackboneNames.ResNet18Cntk, embeddingSize, imageSize, ChannelMean().Select(v => (float)(v / 255)).ToArray(), InputStd);

    private static readonly Lazy<double[]> Means = new(ReadChannelMean);

    /// <summary>Per-channel (R, G, B) averages of the package's mean image, in 0-255 grey levels.</summary>
    public static IReadOnlyList<double> ChannelMean() => Means.Value;

    private static double[] ReadChannelMean()
    {
        using var scope = NewDisposeScope();
        var graph = new OnnxGraphReader(PreprocessPath);
        var sub = graph.Model.Graph.Node.SingleOrDefault(n => n.OpType == "Sub") ?? throw graph.Bad("no Sub node (the mean-image subtraction)");
        var meanImage = graph.Initializer(sub.Input[1]);
        if (meanImage.dim() != 4 || meanImage.shape[1] != 3) throw graph.Bad($"the mean image has shape [{string.Join(",", meanImage.shape)}], expected [1,3,H,W]");
        var bgr = meanImage.to_type(ScalarType.Float64).mean([0, 2, 3]).data<double>().ToArray();
        return [bgr[2], bgr[1], bgr[0]];
    }

    /// <summary>The package's weights in torchvision names, stem reading RGB.</summary>
    public static Dictionary<string, Tensor> ReadWeights() => OnnxResNetImporter.Read(ModelPath, bgrInput: true);

    /// <summary>Loads the converted weights into <paramref name="network"/>, which must have been built from <see cref="Config"/>.</summary>
    public static void LoadInto(EmbeddingNetwork network)
    {
        var expected = Config(network.Config.EmbeddingSize, network.Config.ImageSize);
        if (network.Config.Backbone != BackboneNames.ResNet18Cntk || !network.Config.Mean.SequenceEqual(expected.Mean) || !network.Config.Std.SequenceEqual(expected.Std))
            throw new ArgumentException($"--pretrained {Name} needs the resnet18-cntk backbone with ImageNetResNet18.Config's input normalisation; got {network.Config.Backbone}", nameof(network));
        using var scope = NewDisposeScope();
        PretrainedWeights.LoadBackbone(network, ReadWeights(), ModelPath);
    }
}
