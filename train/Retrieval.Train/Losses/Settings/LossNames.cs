namespace Retrieval.Train.Losses;

/// <summary>The loss names of the command line, config.json and ONNX metadata (one constant per loss).</summary>
public static class LossNames
{
    public const string MeanFieldClassWiseMultiSimilarity = "mfcwms";
    public const string MeanFieldContrastive = "mfcont";
    public const string ClassWiseMultiSimilarity = "cwms";
    public const string Contrastive = "contrastive";
    public const string ProxyAnchor = "proxyanchor";
    public const string ProxyNca = "proxynca";
    public const string MultiSimilarity = "ms";
    public const string ArcFace = "arcface";
    public const string CosFace = "cosface";
    public const string NormalizedSoftmax = "normsoftmax";
}
