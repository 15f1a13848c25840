using Retrieval.Core.Imaging;

namespace Retrieval.Serve.Engine;

/// <summary>A loaded embedding network: turns encoded images into model inputs and batches of inputs into embeddings.</summary>
public interface IEmbeddingModel : IDisposable
{
    /// <summary>Identity and sizes of the model.</summary>
    ModelInfo Info { get; }

    /// <summary>Decodes and preprocesses one encoded image into a model input; throws <see cref="RequestException"/> for a bad image or one over <paramref name="limits"/>.</summary>
    float[] Preprocess(byte[] image, ImageLimits limits);

    /// <summary>Embeds a batch of preprocessed inputs in one call (thread-safe); one embedding per input, in order.</summary>
    float[][] EmbedBatch(IReadOnlyList<float[]> inputs);
}
