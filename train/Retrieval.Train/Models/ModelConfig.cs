namespace Retrieval.Train.Models;

/// <summary>What an <see cref="EmbeddingNetwork"/> is built from: backbone name, embedding size, input size and the input normalisation.</summary>
/// <param name="Backbone">One of <see cref="BackboneNames.All"/>.</param>
/// <param name="EmbeddingSize">Output dimension of the head.</param>
/// <param name="ImageSize">Square input side in pixels the network is trained and served at.</param>
/// <param name="Mean">Per-channel (RGB) mean subtracted inside the network from inputs in [0,1].</param>
/// <param name="Std">Per-channel (RGB) standard deviation the centred input is divided by.</param>
public sealed record ModelConfig(string Backbone, int EmbeddingSize, int ImageSize, IReadOnlyList<float> Mean, IReadOnlyList<float> Std)
{
    /// <summary>ImageNet channel means (torchvision's pretrained weights expect them).</summary>
    public static readonly IReadOnlyList<float> ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations.</summary>
    public static readonly IReadOnlyList<float> ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>A configuration with ImageNet mean/std.</summary>
    public static ModelConfig WithImageNetNormalization(string backbone, int embeddingSize, int imageSize) =>
        new(backbone, embeddingSize, imageSize, ImageNetMean, ImageNetStd);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (!BackboneNames.All.Contains(Backbone))
            throw new ArgumentException($"Backbone '{Backbone}' is unknown; expected one of: {string.Join(", ", BackboneNames.All)}.", nameof(Backbone));
        if (EmbeddingSize < 1) throw new ArgumentException($"EmbeddingSize must be positive, got {EmbeddingSize}.", nameof(EmbeddingSize));
        if (ImageSize < 16) throw new ArgumentException($"ImageSize must be at least 16 px, got {ImageSize}.", nameof(ImageSize));
        if (Mean.Count != 3 || Mean.Any(v => !float.IsFinite(v)))
            throw new ArgumentException("Mean must hold 3 finite values (R, G, B).", nameof(Mean));
        if (Std.Count != 3 || Std.Any(v => !float.IsFinite(v) || v <= 0))
            throw new ArgumentException("Std must hold 3 finite positive values (R, G, B).", nameof(Std));
    }
}
