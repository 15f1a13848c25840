namespace Retrieval.Serve.Engine;

/// <summary>Loads an embedding model from a model.onnx path (throws with a clear message when the file is missing or invalid).</summary>
public interface IModelLoader
{
    /// <summary>
    /// Loads and checks the model at <paramref name="path"/>: <see cref="FileNotFoundException"/> when missing,
    /// <see cref="IOException"/> when not a regular file or over the size cap; reading stops when cancelled.
    /// </summary>
    IEmbeddingModel Load(string path, CancellationToken cancellationToken = default);
}
