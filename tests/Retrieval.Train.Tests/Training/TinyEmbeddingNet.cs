using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

/// <summary>A two-convolution embedding network (with BatchNorm) small enough for trainer tests.</summary>
public sealed class TinyEmbeddingNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1 = nn.Conv2d(3, 8, 3, stride: 2, padding: 1);
    private readonly BatchNorm2d _bn1 = nn.BatchNorm2d(8);
    private readonly Conv2d _conv2 = nn.Conv2d(8, 16, 3, stride: 2, padding: 1);
    private readonly Linear _head = nn.Linear(16, 8);

    public TinyEmbeddingNet() : base(nameof(TinyEmbeddingNet)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(_bn1.forward(_conv1.forward(input)));
        x = nn.functional.relu(_conv2.forward(x)).mean([2, 3]);
        return nn.functional.normalize(_head.forward(x), dim: 1).MoveToOuterDisposeScope();
    }
}
