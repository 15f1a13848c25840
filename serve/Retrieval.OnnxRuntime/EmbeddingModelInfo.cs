using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Retrieval.Core.Imaging;
using Retrieval.Core.ModelMetadata;

namespace Retrieval.OnnxRuntime;

/// <summary>What a served model declares: input crop size, resize size, embedding size, normalisation and all metadata.</summary>
/// <param name="ImageSize">Square input side (centre-crop size).</param>
/// <param name="ResizeSize">Shorter side images are resized to before the crop.</param>
/// <param name="EmbeddingSize">Output dimension.</param>
/// <param name="Mean">Per-channel mean (applied inside the graph).</param>
/// <param name="Std">Per-channel std (applied inside the graph).</param>
/// <param name="Metadata">Every metadata_props entry.</param>
public sealed record EmbeddingModelInfo(int ImageSize, int ResizeSize, int EmbeddingSize, IReadOnlyList<float> Mean, IReadOnlyList<float> Std,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The preprocessing the model expects: resize the shorter side to ResizeSize, centre-crop ImageSize.</summary>
    public PreprocessSpec Preprocess => new(ResizeSize, ImageSize);

    /// <summary>Checks the session's input/output names, types and shapes and the required metadata; throws <see cref="ModelLoadException"/> naming the problem.</summary>
    public static EmbeddingModelInfo Read(string path, InferenceSession session)
    {
        ModelLoadException Bad(string problem) => new($"{path}: not a RetrievalSystem embedding model: {problem}.");
        if (session.InputMetadata.Count != 1 || !session.InputMetadata.TryGetValue(ModelMetadataKeys.InputName, out var input))
            throw Bad($"expected one input '{ModelMetadataKeys.InputName}', found [{string.Join(", ", session.InputMetadata.Keys)}]");
        if (session.OutputMetadata.Count != 1 || !session.OutputMetadata.TryGetValue(ModelMetadataKeys.OutputName, out var output))
            throw Bad($"expected one output '{ModelMetadataKeys.OutputName}', found [{string.Join(", ", session.OutputMetadata.Keys)}]");
        if (input.ElementType != typeof(float) || output.ElementType != typeof(float))
            throw Bad($"input and output must be float32 (input {input.ElementType.Name}, output {output.ElementType.Name})");
        var inDims = input.Dimensions;
        var outDims = output.Dimensions;
        if (inDims.Length != 4 || inDims[0] != -1 || inDims[1] != 3 || inDims[2] <= 0 || inDims[2] != inDims[3])
            throw Bad($"input shape must be [batch,3,S,S], found [{string.Join(",", inDims)}]");
        if (outDims.Length != 2 || outDims[0] != -1 || outDims[1] <= 0)
            throw Bad($"output shape must be [batch,E], found [{string.Join(",", outDims)}]");

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var missing = ModelMetadataKeys.Required.Where(k => !metadata.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw Bad($"missing metadata {string.Join(", ", missing)}");
        if (metadata[ModelMetadataKeys.FormatVersion] != ModelMetadataKeys.CurrentFormatVersion)
            throw Bad($"format version '{metadata[ModelMetadataKeys.FormatVersion]}' is not the supported '{ModelMetadataKeys.CurrentFormatVersion}'");
        var imageSize = Integer(metadata, ModelMetadataKeys.ImageSize, Bad);
        var resizeSize = Integer(metadata, ModelMetadataKeys.ResizeSize, Bad);
        var embeddingSize = Integer(metadata, ModelMetadataKeys.EmbeddingSize, Bad);
        if (imageSize != inDims[2]) throw Bad($"metadata image size {imageSize} differs from the input's {inDims[2]}");
        if (embeddingSize != outDims[1]) throw Bad($"metadata embedding size {embeddingSize} differs from the output's {outDims[1]}");
        if (resizeSize < imageSize) throw Bad($"resize size {resizeSize} is smaller than the image size {imageSize}");
        return new EmbeddingModelInfo(imageSize, resizeSize, embeddingSize, Triple(metadata, ModelMetadataKeys.Mean, Bad),
            Triple(metadata, ModelMetadataKeys.Std, Bad), new Dictionary<string, string>(metadata));
    }

    private static int Integer(Dictionary<string, string> metadata, string key, Func<string, ModelLoadException> bad) =>
        int.TryParse(metadata[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw bad($"metadata {key} = '{metadata[key]}' is not a positive integer");

    private static float[] Triple(Dictionary<string, string> metadata, string key, Func<string, ModelLoadException> bad)
    {
        try
        {
            var values = JsonSerializer.Deserialize<float[]>(metadata[key]);
            if (values is { Length: 3 } && values.All(float.IsFinite)) return values;
        }
        catch (JsonException)
        {
        }
        throw bad($"metadata {key} = '{metadata[key]}' is not a JSON array of 3 numbers");
    }
}
