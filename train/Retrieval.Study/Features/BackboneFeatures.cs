using Retrieval.Train.Models;
using static TorchSharp.torch;

namespace Retrieval.Study.Features;

/// <summary>
/// The frozen part of an <see cref="EmbeddingNetwork"/>: its input normalisation, backbone and pooling (global average
/// + global max, summed), i.e. what the network's head receives. A test checks that the head applied to these
/// features gives the network's own output, so the two cannot drift apart.
/// </summary>
public sealed class BackboneFeatures : nn.Module<Tensor, Tensor>
{
    private readonly EmbeddingNetwork _network;

    public BackboneFeatures(EmbeddingNetwork network) : base("BackboneFeatures")
    {
        _network = network;
    }

    /// <summary>Channels of a feature vector.</summary>
    public int Dimension => _network.Backbone.OutputChannels;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var map = _network.Backbone.forward((x - _network.InputMean) / _network.InputStd);
        return (map.mean([2, 3]) + map.amax([2, 3])).MoveToOuterDisposeScope();
    }

    public override void train(bool train = true)
    {
        base.train(train);
        _network.train(train);
    }
}
