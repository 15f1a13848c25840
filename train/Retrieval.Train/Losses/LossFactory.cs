namespace Retrieval.Train.Losses;

/// <summary>Creates a loss by name with the paper's defaults, overridable per parameter through <see cref="LossOptions"/>.</summary>
public static class LossFactory
{
    private sealed record Spec(IReadOnlyDictionary<string, double> Defaults, Func<int, int, Func<string, double>, MetricLoss> Build);

    private static readonly Dictionary<string, Spec> Specs = new()
    {
        ["mfcwms"] = new(new Dictionary<string, double> { ["alpha"] = 0.01, ["beta"] = 80, ["margin"] = 0.8, ["mf-weight"] = 0 },
            (c, d, p) => new MeanFieldClassWiseMultiSimilarityLoss(c, d, p("alpha"), p("beta"), p("margin"), p("mf-weight"))),
        ["mfcont"] = new(new Dictionary<string, double> { ["pos-margin"] = 0.02, ["neg-margin"] = 0.3, ["mf-weight"] = 0 },
            (c, d, p) => new MeanFieldContrastiveLoss(c, d, p("pos-margin"), p("neg-margin"), p("mf-weight"))),
        ["cwms"] = new(new Dictionary<string, double> { ["alpha"] = 0.01, ["beta"] = 80, ["margin"] = 0.8 },
            (c, _, p) => new ClassWiseMultiSimilarityLoss(c, p("alpha"), p("beta"), p("margin"))),
        ["contrastive"] = new(new Dictionary<string, double> { ["pos-margin"] = 0.02, ["neg-margin"] = 0.3 },
            (c, _, p) => new ContrastiveLoss(c, p("pos-margin"), p("neg-margin"))),
        ["proxyanchor"] = new(new Dictionary<string, double> { ["margin"] = 0.1, ["alpha"] = 32 },
            (c, d, p) => new ProxyAnchorLoss(c, d, p("margin"), p("alpha"))),
        ["proxynca"] = new(new Dictionary<string, double> { ["scale"] = 32 },
            (c, d, p) => new ProxyNcaLoss(c, d, p("scale"))),
        ["ms"] = new(new Dictionary<string, double> { ["alpha"] = 2, ["beta"] = 50, ["margin"] = 0.5, ["epsilon"] = 0.1 },
            (c, _, p) => new MultiSimilarityLoss(c, p("alpha"), p("beta"), p("margin"), p("epsilon"))),
        ["arcface"] = new(new Dictionary<string, double> { ["margin"] = 28.6, ["scale"] = 64 },
            (c, d, p) => new ArcFaceLoss(c, d, p("margin"), p("scale"))),
        ["cosface"] = new(new Dictionary<string, double> { ["margin"] = 0.35, ["scale"] = 64 },
            (c, d, p) => new CosFaceLoss(c, d, p("margin"), p("scale"))),
        ["normsoftmax"] = new(new Dictionary<string, double> { ["temperature"] = 0.05 },
            (c, d, p) => new NormalizedSoftmaxLoss(c, d, p("temperature"))),
    };

    /// <summary>The loss names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Specs.Keys.ToList();

    /// <summary>The parameter names and paper defaults of loss <paramref name="name"/>.</summary>
    public static IReadOnlyDictionary<string, double> DefaultsOf(string name) => Find(name).Defaults;

    /// <summary>
    /// Creates loss <paramref name="name"/> (case-insensitive) for <paramref name="numClasses"/> training classes and
    /// <paramref name="embeddingSize"/>-d embeddings; an unknown name or an option the loss does not take is an error.
    /// </summary>
    public static MetricLoss Create(string name, int numClasses, int embeddingSize, LossOptions options)
    {
        var spec = Find(name);
        var foreign = options.Values.Keys.Where(k => !spec.Defaults.ContainsKey(k)).ToList();
        if (foreign.Count > 0)
            throw new ArgumentException($"loss '{name}' has no parameter {string.Join(", ", foreign)}; it takes {string.Join(", ", spec.Defaults.Keys)}", nameof(options));
        return spec.Build(numClasses, embeddingSize, key => options.Values.TryGetValue(key, out var value) ? value : spec.Defaults[key]);
    }

    private static Spec Find(string name) =>
        Specs.TryGetValue(name.ToLowerInvariant(), out var spec)
            ? spec
            : throw new ArgumentException($"unknown loss '{name}'; known: {string.Join(", ", Specs.Keys)}", nameof(name));
}
