using Microsoft.ML.OnnxRuntime;
using Retrieval.Core.Imaging;
using Retrieval.Core.ModelMetadata;

namespace Retrieval.OnnxRuntime;

/// <summary>
/// Embeds images with an exported RetrievalSystem ONNX model on ONNX Runtime (full graph optimisation; CUDA in the
/// GPU build when a GPU is present, else CPU). Validates the model at load. Thread-safe: concurrent callers share
/// one session (InferenceSession.Run is thread-safe).
/// </summary>
public sealed class OnnxEmbedder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _maxBatch;

    /// <summary>Loads and checks <paramref name="modelPath"/>; throws <see cref="ModelLoadException"/> for a missing, corrupt or foreign model.</summary>
    public OnnxEmbedder(string modelPath, OnnxEmbedderOptions? options = null)
    {
        options ??= new OnnxEmbedderOptions();
        if (options.MaxBatchSize < 1) throw new ArgumentException("MaxBatchSize must be positive.", nameof(options));
        if (!File.Exists(modelPath)) throw new ModelLoadException($"{modelPath}: model file not found.");
        _maxBatch = options.MaxBatchSize;
        (_session, ExecutionProvider) = ExecutionProviderSelector.CreateSession(modelPath, options);
        try
        {
            Info = EmbeddingModelInfo.Read(modelPath, _session);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The model's declared sizes, normalisation and metadata.</summary>
    public EmbeddingModelInfo Info { get; }

    /// <summary>"CUDA" or "CPU".</summary>
    public string ExecutionProvider { get; }

    /// <summary>
    /// Embeds <paramref name="count"/> images given as float32 CHW planes in [0,1] ([count,3,S,S] flattened, S = Info.ImageSize);
    /// returns [count,E] flattened, each row L2-normalised.
    /// </summary>
    public float[] Embed(ReadOnlySpan<float> images, int count)
    {
        var perImage = 3 * Info.ImageSize * Info.ImageSize;
        if (count < 0 || images.Length != (long)count * perImage)
            throw new ArgumentException($"Expected {count} x 3 x {Info.ImageSize} x {Info.ImageSize} = {(long)count * perImage} floats, got {images.Length}.", nameof(images));
        var result = new float[count * Info.EmbeddingSize];
        for (var start = 0; start < count; start += _maxBatch)
        {
            var n = Math.Min(_maxBatch, count - start);
            var chunk = images.Slice(start * perImage, n * perImage).ToArray();
            using var input = OrtValue.CreateTensorValueFromMemory(chunk, [n, 3, Info.ImageSize, Info.ImageSize]);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [ModelMetadataKeys.InputName], [input], [ModelMetadataKeys.OutputName]);
            var embedding = outputs[0].GetTensorDataAsSpan<float>();
            foreach (var v in embedding)
                if (!float.IsFinite(v)) throw new InvalidOperationException("The model produced a non-finite embedding (NaN or infinity in the input?).");
            embedding.CopyTo(result.AsSpan(start * Info.EmbeddingSize));
        }
        return result;
    }

    /// <summary>Embeds decoded images through the model's own preprocessing (<see cref="EmbeddingModelInfo.Preprocess"/>); one row per image.</summary>
    public float[][] Embed(IReadOnlyList<RgbImage> images)
    {
        var spec = Info.Preprocess;
        var batch = new float[images.Count * spec.TensorLength];
        for (var i = 0; i < images.Count; i++) spec.WriteEvalTensor(images[i], batch.AsSpan(i * spec.TensorLength, spec.TensorLength));
        var flat = Embed(batch, images.Count);
        return Enumerable.Range(0, images.Count).Select(i => flat.AsSpan(i * Info.EmbeddingSize, Info.EmbeddingSize).ToArray()).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
