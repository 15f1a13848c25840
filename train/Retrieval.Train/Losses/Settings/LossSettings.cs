using System.Globalization;
using System.Text.Json.Serialization;

namespace Retrieval.Train.Losses;

/// <summary>
/// The typed hyper-parameters of one loss: a record per loss whose property names carry their units (Cosine = in
/// cosine-similarity units, Distance = in the loss's distance, Degrees, Scale = a dimensionless multiplier). The two
/// loss families share their declarations (<see cref="ContrastiveFamilySettings"/>, <see cref="MultiSimilarityFamilySettings"/>).
/// <see cref="Parameters"/> lists the same numbers under their command-line keys. Serialised (config.json) with the
/// loss name as "name". A new record holds the paper's defaults.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "name")]
[JsonDerivedType(typeof(MeanFieldClassWiseMultiSimilaritySettings), LossNames.MeanFieldClassWiseMultiSimilarity)]
[JsonDerivedType(typeof(MeanFieldContrastiveSettings), LossNames.MeanFieldContrastive)]
[JsonDerivedType(typeof(ClassWiseMultiSimilaritySettings), LossNames.ClassWiseMultiSimilarity)]
[JsonDerivedType(typeof(ContrastiveSettings), LossNames.Contrastive)]
[JsonDerivedType(typeof(ProxyAnchorSettings), LossNames.ProxyAnchor)]
[JsonDerivedType(typeof(ProxyNcaSettings), LossNames.ProxyNca)]
[JsonDerivedType(typeof(MultiSimilaritySettings), LossNames.MultiSimilarity)]
[JsonDerivedType(typeof(ArcFaceSettings), LossNames.ArcFace)]
[JsonDerivedType(typeof(CosFaceSettings), LossNames.CosFace)]
[JsonDerivedType(typeof(NormalizedSoftmaxSettings), LossNames.NormalizedSoftmax)]
public abstract record LossSettings
{
    /// <summary>The loss name (<see cref="LossNames"/>; in JSON, the discriminator).</summary>
    [JsonIgnore]
    public string Name => LossName;

    /// <summary>The numbers of this record under their command-line keys.</summary>
    [JsonIgnore]
    public IReadOnlyList<LossParameter> Parameters => DeclaredParameters;

    /// <summary>The loss name (protected and non-virtual <see cref="Name"/>, so JSON does not see it as a property).</summary>
    protected abstract string LossName { get; }

    /// <summary>What <see cref="Parameters"/> returns.</summary>
    protected abstract IReadOnlyList<LossParameter> DeclaredParameters { get; }

    /// <summary>The loss for <paramref name="numClasses"/> training classes and <paramref name="embeddingSize"/>-d embeddings (validates first).</summary>
    public abstract MetricLoss Create(int numClasses, int embeddingSize);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first parameter out of its range.</summary>
    public void Validate()
    {
        foreach (var parameter in Parameters) parameter.Check(this);
    }

    /// <summary>A copy with the given command-line keys (case-insensitive) set; a key this loss does not take is an error listing those it does.</summary>
    public LossSettings With(IEnumerable<KeyValuePair<string, double>> overrides)
    {
        var result = this;
        foreach (var (key, value) in overrides)
        {
            var parameter = Parameters.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase))
                            ?? throw new ArgumentException($"loss '{Name}' has no parameter {key}; it takes {string.Join(", ", Parameters.Select(p => p.Key))}", nameof(overrides));
            result = parameter.Set(result, value);
        }
        return result;
    }

    /// <summary>"key=value, ..." of every parameter, e.g. for --help and logs.</summary>
    public string Describe() =>
        string.Join(", ", Parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Get(this)}")));
}
