using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Study.Heads;

/// <summary>
/// The paper's embedding head on frozen features: Linear (Kaiming-normal fan-out weights, zero bias) then L2
/// normalisation — the same layer and initialisation as <see cref="Retrieval.Train.Models.EmbeddingNetwork"/>'s head.
/// </summary>
public sealed class EmbeddingHead : nn.Module<Tensor, Tensor>
{
    private readonly Linear embedding;

    public EmbeddingHead(int inputSize, int embeddingSize) : base("EmbeddingHead")
    {
        embedding = nn.Linear(inputSize, embeddingSize);
        using (no_grad())
        {
            nn.init.kaiming_normal_(embedding.weight!, mode: nn.init.FanInOut.FanOut);
            embedding.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>The linear layer.</summary>
    public Linear Linear => embedding;

    public override Tensor forward(Tensor x) => nn.functional.normalize(embedding.forward(x), p: 2, dim: 1);

    /// <summary>A copy of the current weights.</summary>
    public HeadWeights Snapshot() => new(
        (int)embedding.weight!.shape[1], (int)embedding.weight.shape[0],
        embedding.weight.detach().contiguous().data<float>().ToArray(), embedding.bias!.detach().contiguous().data<float>().ToArray());
}
