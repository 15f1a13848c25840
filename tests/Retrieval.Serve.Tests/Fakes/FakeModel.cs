using System.Collections.Concurrent;
using Retrieval.Core.Imaging;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Inference;

namespace Retrieval.Serve.Tests.Fakes;

/// <summary>
/// An embedding model for tests: decodes <see cref="FakeImage"/>s and returns their vector times <see cref="Sign"/>;
/// real PNG/JPEG bytes go through the server's real image pipeline (8 px input, folded to the embedding size).
/// Records batch sizes and the most preprocessing calls seen at once; <see cref="Hold"/> can stop a batch mid-model.
/// </summary>
public sealed class FakeModel(ModelInfo info, float sign = 1, TimeSpan delay = default) : IEmbeddingModel
{
    private int _preprocessing;
    private int _maxPreprocessing;

    /// <summary>Sizes of the batches the model was called with.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    /// <summary>Multiplier applied to every embedding (a "different model").</summary>
    public float Sign => sign;

    /// <summary>True once disposed.</summary>
    public bool Disposed { get; private set; }

    /// <summary>The most <see cref="Preprocess"/> calls that ran at the same time.</summary>
    public int MaxConcurrentPreprocess => Volatile.Read(ref _maxPreprocessing);

    /// <summary>When set, each batch signals <see cref="Entered"/> and then waits until this is released.</summary>
    public SemaphoreSlim? Hold { get; set; }

    /// <summary>Completed when a held batch is inside the model.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public ModelInfo Info => info;

    /// <inheritdoc />
    public float[] Preprocess(byte[] image, ImageLimits limits)
    {
        int now = Interlocked.Increment(ref _preprocessing);
        for (int seen = _maxPreprocessing; now > seen; seen = _maxPreprocessing)
            Interlocked.CompareExchange(ref _maxPreprocessing, now, seen);
        try
        {
            var decoded = FakeImage.Decode(image);
            if (decoded is null) return ImagePreprocessor.ToInput(image, limits, new PreprocessSpec(8, 8));
            if (decoded.Value.Pixels > limits.MaxPixels)
                throw new RequestException(RequestError.ResourceExhausted, $"has {decoded.Value.Pixels} pixels, over the limit of {limits.MaxPixels}.");
            if (decoded.Value.Vector.Length != info.EmbeddingSize)
                throw new RequestException(RequestError.InvalidArgument, $"decodes to {decoded.Value.Vector.Length} values, expected {info.EmbeddingSize}.");
            return decoded.Value.Vector;
        }
        finally
        {
            Interlocked.Decrement(ref _preprocessing);
        }
    }

    /// <inheritdoc />
    public float[][] EmbedBatch(IReadOnlyList<float[]> inputs)
    {
        Batches.Enqueue(inputs.Count);
        if (delay > TimeSpan.Zero) Thread.Sleep(delay);
        if (Hold is { } hold)
        {
            Entered.TrySetResult();
            hold.Wait();
        }
        return inputs.Select(Fold).ToArray();
    }

    private float[] Fold(float[] input)
    {
        var embedding = new float[info.EmbeddingSize];
        for (int i = 0; i < input.Length; i++) embedding[i % embedding.Length] += input[i] * sign;
        if (input.Length != embedding.Length) embedding[0] += 1; // real images: keep the vector non-zero
        return embedding;
    }

    /// <inheritdoc />
    public void Dispose() => Disposed = true;
}
