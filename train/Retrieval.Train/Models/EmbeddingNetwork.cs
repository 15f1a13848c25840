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

    /// <summary>How many of the backbone's stages (stem, layer1..layer4) never train (<see cref="FreezeStages"/>).</summary>
    public int FrozenStages { get; private set; }

    /// <summary>False while only the head trains (<see cref="TrainBackbone"/>: the head warm-up epochs).</summary>
    public bool BackboneTrains { get; private set; } = true;

    /// <summary>
    /// Freezes every BatchNorm layer: its affine parameters stop requiring gradients and it stays in eval mode
    /// (running statistics fixed) even when <c>train()</c> is called on the network.
    /// </summary>
    public void FreezeBatchNorm()
    {
        BatchNormFrozen = true;
        ApplyFreezing();
    }

    /// <summary>
    /// Freezes the first <paramref name="count"/> of the backbone's stages (1 = the stem, 2 = stem and layer1, ... 5 =
    /// the whole backbone): their parameters stop requiring gradients and their BatchNorms stay in eval mode.
    /// Gradients then stop at the first stage that trains, so the frozen stages also cost no backward pass.
    /// </summary>
    public void FreezeStages(int count)
    {
        if (count < 0 || count > backbone.Stages.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"expected 0..{backbone.Stages.Count} frozen stages");
        FrozenStages = count;
        ApplyFreezing();
    }

    /// <summary>
    /// <paramref name="on"/> = false: only the head (and what the caller trains beside it, e.g. a loss's parameters)
    /// trains — the whole backbone is held as if frozen (no gradients, BatchNorms in eval mode); true restores the
    /// frozen state that <see cref="FreezeBatchNorm"/> and <see cref="FreezeStages"/> set.
    /// </summary>
    public void TrainBackbone(bool on)
    {
        BackboneTrains = on;
        ApplyFreezing();
    }

    /// <inheritdoc/>
    public override void train(bool on = true)
    {
        base.train(on);
        var stages = backbone.Stages;
        for (var i = 0; i < stages.Count; i++)
            foreach (var norm in stages[i].SelectMany(BatchNormsOf))
                if (BatchNormFrozen || StageFixed(i)) norm.eval();
    }

    private bool StageFixed(int stage) => !BackboneTrains || stage < FrozenStages;

    private void ApplyFreezing()
    {
        var stages = backbone.Stages;
        for (var i = 0; i < stages.Count; i++)
            foreach (var module in stages[i])
            {
                foreach (var p in module.parameters()) p.requires_grad = !StageFixed(i);
                if (BatchNormFrozen)
                    foreach (var p in BatchNormsOf(module).SelectMany(n => n.parameters())) p.requires_grad = false;
            }
        train(training);
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

    private static IEnumerable<BatchNorm2d> BatchNormsOf(nn.Module module) =>
        module is BatchNorm2d norm ? [norm] : module.modules().OfType<BatchNorm2d>();
}
