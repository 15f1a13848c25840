using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Models;

/// <summary>
/// The retrieval network: input normalisation (buffers), ResNet backbone, the paper's head
/// (global average + global max pooling summed, Linear with Kaiming init, L2 normalisation).
/// Takes float32 NCHW in [0,1]; returns unit-length embeddings.
/// </summary>
public sealed class EmbeddingNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Tensor input_mean;
    private readonly Tensor input_std;
    private readonly ResNetBackbone backbone;
    private readonly Linear embedding;

    private EmbeddingNetwork(ModelConfig config) : base("EmbeddingNetwork")
    {
        Config = config;
        input_mean = tensor(config.Mean.ToArray()).reshape(1, 3, 1, 1);
        input_std = tensor(config.Std.ToArray()).reshape(1, 3, 1, 1);
        backbone = ResNetBackbone.Create(config.Backbone);
        embedding = nn.Linear(backbone.OutputChannels, config.EmbeddingSize);
        using (no_grad())
        {
            nn.init.kaiming_normal_(embedding.weight!, mode: nn.init.FanInOut.FanOut);
            embedding.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Builds the network for <paramref name="config"/> (validated first).</summary>
    public static EmbeddingNetwork Create(ModelConfig config)
    {
        config.Validate();
        return new EmbeddingNetwork(config);
    }

    /// <summary>The configuration the network was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>The feature extractor.</summary>
    public ResNetBackbone Backbone => backbone;

    /// <summary>The head's linear projection (pooled features to embedding).</summary>
    public Linear Embedding => embedding;

    /// <summary>Per-channel mean buffer, shape [1,3,1,1].</summary>
    public Tensor InputMean => input_mean;

    /// <summary>Per-channel std buffer, shape [1,3,1,1].</summary>
    public Tensor InputStd => input_std;

    /// <summary>Whether <see cref="FreezeBatchNorm"/> was called.</summary>
    public bool BatchNormFrozen { get; private set; }

    /// <summary>
    /// Freezes every BatchNorm layer: its affine parameters stop requiring gradients and it stays in eval mode
    /// (running statistics fixed) even when <c>train()</c> is called on the network.
    /// </summary>
    public void FreezeBatchNorm()
    {
        BatchNormFrozen = true;
        foreach (var norm in BatchNorms())
            foreach (var p in norm.parameters()) p.requires_grad = false;
        train(training);
    }

    /// <inheritdoc/>
    public override void train(bool train = true)
    {
        base.train(train);
        if (BatchNormFrozen)
            foreach (var norm in BatchNorms()) norm.eval();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 3)
            throw new ArgumentException($"Expected float32 input [N,3,H,W], got [{string.Join(",", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var features = backbone.forward((x - input_mean) / input_std);
        var pooled = features.mean([2, 3]) + features.amax([2, 3]);
        return nn.functional.normalize(embedding.forward(pooled), p: 2, dim: 1).MoveToOuterDisposeScope();
    }

    private IEnumerable<BatchNorm2d> BatchNorms() => modules().OfType<BatchNorm2d>();
}
