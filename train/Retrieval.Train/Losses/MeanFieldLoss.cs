using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Base of the mean-field losses: one learnable mean field per training class, a [D, C] parameter "means"
/// initialised N(0, 1) and column-normalised at every use, plus the regulariser weight lambda_mf.
/// </summary>
public abstract class MeanFieldLoss<TSettings> : MetricLoss<TSettings> where TSettings : LossSettings, IMeanFieldSettings, new()
{
    protected MeanFieldLoss(string name, int numClasses, int embeddingSize, TSettings? settings) : base(name, numClasses, settings)
    {
        if (embeddingSize < 1) throw new ArgumentException($"{name}: embedding size must be at least 1, got {embeddingSize}", nameof(embeddingSize));
        register_parameter("means", new Parameter(nn.init.normal_(empty(embeddingSize, numClasses))));
    }

    /// <summary>lambda_mf, the weight of the mean-field regulariser (0 skips its C x C work).</summary>
    public double MeanFieldWeight => Settings.MeanFieldWeight;

    /// <summary>The raw mean-field parameter [D, C] (looked up by name: .to() replaces it).</summary>
    public Parameter Means => get_parameter("means")!;

    /// <summary>The mean fields with unit-norm columns M_c, [D, C].</summary>
    protected Tensor NormalizedMeans() => nn.functional.normalize(Means, p: 2, dim: 0);
}
