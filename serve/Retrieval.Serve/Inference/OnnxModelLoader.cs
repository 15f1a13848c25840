using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Retrieval.OnnxRuntime;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Inference;

/// <summary>
/// Loads model.onnx with <see cref="OnnxEmbedder"/> (which checks it) and identifies it by the SHA-256 of the file. Only a
/// regular file up to Limits.MaxModelBytes is opened, and hashing stops when the call is cancelled.
/// </summary>
public sealed class OnnxModelLoader(IOptions<ServerOptions> options, ILogger<OnnxModelLoader> logger) : IModelLoader
{
    /// <inheritdoc />
    public IEmbeddingModel Load(string path, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(path)) throw new ModelLoadException("no model given: pass --model path/to/model.onnx.");
        string sha;
        try
        {
            using var stream = RegularFile.Open(path, options.Value.Limits.MaxModelBytes);
            sha = Sha256(stream, cancellationToken);
        }
        catch (FileNotFoundException) { throw new FileNotFoundException($"{path}: model file not found.", path); }
        catch (IOException e) { throw new IOException($"{path}: {e.Message}", e); }
        var embedder = new OnnxEmbedder(path, new OnnxEmbedderOptions { MaxBatchSize = 256, Log = m => logger.LogInformation("{Message}", m) });
        logger.LogInformation("Loaded model {Path}: sha256 {Sha}, {Size}px input, {Dim}-d embeddings on {Provider}",
            path, sha, embedder.Info.ImageSize, embedder.Info.EmbeddingSize, embedder.ExecutionProvider);
        return new OnnxEmbeddingModel(embedder, sha);
    }

    private static string Sha256(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
