using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Base of the classification-style losses (NormalizedSoftmax, CosFace, ArcFace; pytorch-metric-learning semantics):
/// class weights "weight" [D, C] initialised N(0, 1), column-normalised, cos_ic = e_i.w_c; the loss is the mean
/// cross-entropy of the logits each subclass builds from the cosines.
/// </summary>
public abstract class ClassWeightSoftmaxLoss<TSettings> : MetricLoss<TSettings> where TSettings : LossSettings, new()
{
    protected ClassWeightSoftmaxLoss(string name, int numClasses, int embeddingSize, TSettings? settings) : base(name, numClasses, settings)
    {
        if (embeddingSize < 1) throw new ArgumentException($"{name}: embedding size must be at least 1, got {embeddingSize}", nameof(embeddingSize));
        register_parameter("weight", new Parameter(nn.init.normal_(empty(embeddingSize, numClasses))));
        RegisterComponents();
    }

    /// <summary>The class-weight parameter [D, C] (looked up by name: .to() replaces it).</summary>
    public Parameter Weight => get_parameter("weight")!;

    protected sealed override Tensor ComputeLoss(LossBatch batch)
    {
        var cosine = batch.Embeddings.matmul(nn.functional.normalize(Weight, p: 2, dim: 0));
        return nn.functional.cross_entropy(Logits(cosine, batch.Labels), batch.Labels);
    }

    /// <summary>Logits [B, C] from the cosines [B, C] and the labels.</summary>
    protected abstract Tensor Logits(Tensor cosine, Tensor labels);
}
