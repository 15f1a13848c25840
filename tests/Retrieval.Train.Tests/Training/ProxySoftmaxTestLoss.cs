using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

/// <summary>TEMPORARY test loss (normalised softmax over learnable proxies) until the losses branch is merged.</summary>
public sealed class ProxySoftmaxTestLoss : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter _proxies;

    public ProxySoftmaxTestLoss(int classes, int dim) : base(nameof(ProxySoftmaxTestLoss))
    {
        _proxies = nn.Parameter(randn(classes, dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        var logits = embeddings.matmul(nn.functional.normalize(_proxies, dim: 1).t()) * 16;
        return nn.functional.cross_entropy(logits, labels);
    }
}
