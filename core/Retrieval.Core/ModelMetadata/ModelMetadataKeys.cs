namespace Retrieval.Core.ModelMetadata;

/// <summary>
/// Names shared by the ONNX exporter (writer) and the embedder (reader): the graph's input/output names, the
/// metadata_props keys and the current format version. Numbers are invariant-culture text; lists and metric
/// sets are JSON.
/// </summary>
public static class ModelMetadataKeys
{
    /// <summary>The graph input: float32 [batch,3,ImageSize,ImageSize], RGB in [0,1].</summary>
    public const string InputName = "images";

    /// <summary>The graph output: float32 [batch,EmbeddingSize], L2-normalised.</summary>
    public const string OutputName = "embeddings";

    /// <summary>The value of <see cref="FormatVersion"/> this code writes and reads.</summary>
    public const string CurrentFormatVersion = "1";

    /// <summary>Format version of this contract (integer text).</summary>
    public const string FormatVersion = "retrieval.format_version";

    /// <summary>Square input side (centre-crop size) in pixels.</summary>
    public const string ImageSize = "retrieval.image_size";

    /// <summary>Shorter side the image is resized to before the centre crop.</summary>
    public const string ResizeSize = "retrieval.resize_size";

    /// <summary>Per-channel mean as a JSON array of 3 numbers (informational: applied inside the graph).</summary>
    public const string Mean = "retrieval.mean";

    /// <summary>Per-channel std as a JSON array of 3 numbers (informational: applied inside the graph).</summary>
    public const string Std = "retrieval.std";

    /// <summary>Embedding dimension.</summary>
    public const string EmbeddingSize = "retrieval.embedding_size";

    /// <summary>Backbone name (resnet-small, resnet18, resnet50).</summary>
    public const string Backbone = "retrieval.backbone";

    /// <summary>Loss the model was trained with.</summary>
    public const string Loss = "retrieval.loss";

    /// <summary>Training data set name.</summary>
    public const string Dataset = "retrieval.dataset";

    /// <summary>Validation metrics of the exported checkpoint as a JSON object (name -> number).</summary>
    public const string ValidationMetrics = "retrieval.validation_metrics";

    /// <summary>Git revision of the code that trained the model.</summary>
    public const string GitRevision = "retrieval.git_revision";

    /// <summary>Keys a model must carry to be served.</summary>
    public static readonly IReadOnlyList<string> Required = [FormatVersion, ImageSize, ResizeSize, Mean, Std, EmbeddingSize];
}
