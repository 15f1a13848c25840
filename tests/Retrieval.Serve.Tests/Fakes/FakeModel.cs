using System.Collections.Concurrent;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>An embedding model for tests: decodes <see cref="FakeImage"/>s and returns their vector times <see cref="Sign"/>; records batch sizes.</summary>
public sealed class FakeModel(ModelInfo info, float sign = 1, TimeSpan delay = default) : IEmbeddingModel
{
    /// <summary>Sizes of the batches the model was called with.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    /// <summary>Multiplier applied to every embedding (a "different model").</summary>
    public float Sign => sign;

    /// <summary>True once disposed.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc />
    public ModelInfo Info => info;

    /// <inheritdoc />
    public float[] Preprocess(byte[] image, long maxPixels)
    {
        var decoded = FakeImage.Decode(image) ?? throw new RequestException(RequestError.InvalidArgument, "is not a PNG or JPEG image.");
        if (decoded.Pixels > maxPixels)
            throw new RequestException(RequestError.ResourceExhausted, $"has {decoded.Pixels} pixels, over the limit of {maxPixels}.");
        if (decoded.Vector.Length != info.EmbeddingSize)
            throw new RequestException(RequestError.InvalidArgument, $"decodes to {decoded.Vector.Length} values, expected {info.EmbeddingSize}.");
        return decoded.Vector;
    }

    /// <inheritdoc />
    public float[][] EmbedBatch(IReadOnlyList<float[]> inputs)
    {
        Batches.Enqueue(inputs.Count);
        if (delay > TimeSpan.Zero) Thread.Sleep(delay);
        return inputs.Select(v => v.Select(x => x * sign).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public void Dispose() => Disposed = true;
}
