namespace Retrieval.Train.Losses;

/// <summary>The losses by name, each with the paper's defaults (<see cref="LossSettings"/> records).</summary>
public static class LossFactory
{
    private static readonly LossSettings[] PaperDefaults =
    [
        new MeanFieldClassWiseMultiSimilaritySettings(),
        new MeanFieldContrastiveSettings(),
        new ClassWiseMultiSimilaritySettings(),
        new ContrastiveSettings(),
        new ProxyAnchorSettings(),
        new ProxyNcaSettings(),
        new MultiSimilaritySettings(),
        new ArcFaceSettings(),
        new CosFaceSettings(),
        new NormalizedSoftmaxSettings(),
    ];

    /// <summary>The loss names <see cref="Defaults"/> accepts.</summary>
    public static IReadOnlyList<string> Names => PaperDefaults.Select(s => s.Name).ToList();

    /// <summary>The settings of loss <paramref name="name"/> (case-insensitive) with the paper's defaults; an unknown name is an error listing the known ones.</summary>
    public static LossSettings Defaults(string name) =>
        PaperDefaults.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown loss '{name}'; known: {string.Join(", ", Names)}", nameof(name));

    /// <summary>Loss <paramref name="name"/> with the paper's defaults for <paramref name="numClasses"/> classes and <paramref name="embeddingSize"/>-d embeddings.</summary>
    public static MetricLoss Create(string name, int numClasses, int embeddingSize) => Defaults(name).Create(numClasses, embeddingSize);
}
