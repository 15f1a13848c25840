using System.Security.Cryptography;
using Retrieval.Inference;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Inference;

/// <summary>Loads model.onnx with <see cref="OnnxEmbedder"/> (which checks it) and identifies it by the SHA-256 of the file.</summary>
public sealed class OnnxModelLoader(ILogger<OnnxModelLoader> logger) : IModelLoader
{
    /// <inheritdoc />
    public IEmbeddingModel Load(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new ModelLoadException("no model given: pass --model path/to/model.onnx.");
        if (!File.Exists(path)) throw new ModelLoadException($"{path}: model file not found.");
        string sha;
        using (var stream = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        var embedder = new OnnxEmbedder(path, new OnnxEmbedderOptions { MaxBatchSize = 256, Log = m => logger.LogInformation("{Message}", m) });
        logger.LogInformation("Loaded model {Path}: sha256 {Sha}, {Size}px input, {Dim}-d embeddings on {Provider}",
            path, sha, embedder.Info.ImageSize, embedder.Info.EmbeddingSize, embedder.ExecutionProvider);
        return new OnnxEmbeddingModel(embedder, sha);
    }
}
