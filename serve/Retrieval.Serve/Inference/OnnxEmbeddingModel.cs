using Retrieval.Core.Imaging;
using Retrieval.OnnxRuntime;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Inference;

/// <summary>An exported RetrievalSystem model on ONNX Runtime (<see cref="OnnxEmbedder"/>) with the evaluation image preprocessing it declares.</summary>
public sealed class OnnxEmbeddingModel(OnnxEmbedder embedder, string sha256) : IEmbeddingModel
{
    /// <inheritdoc />
    public ModelInfo Info { get; } = new(sha256, embedder.Info.ImageSize, embedder.Info.EmbeddingSize,
        new Dictionary<string, string>(embedder.Info.Metadata) { ["execution_provider"] = embedder.ExecutionProvider });

    /// <summary>Core's image pipeline (<see cref="ImagePreprocessor"/>) with the model's own evaluation preprocessing, the same code training evaluates with.</summary>
    public float[] Preprocess(byte[] image, ImageLimits limits) => ImagePreprocessor.ToInput(image, limits, embedder.Info.Preprocess);

    /// <inheritdoc />
    public float[][] EmbedBatch(IReadOnlyList<float[]> inputs)
    {
        int perImage = 3 * Info.ImageSize * Info.ImageSize, dim = Info.EmbeddingSize;
        var batch = new float[inputs.Count * perImage];
        for (int i = 0; i < inputs.Count; i++) inputs[i].CopyTo(batch, i * perImage);
        var output = embedder.Embed(batch, inputs.Count);
        return Enumerable.Range(0, inputs.Count).Select(i => output.AsSpan(i * dim, dim).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => embedder.Dispose();
}
