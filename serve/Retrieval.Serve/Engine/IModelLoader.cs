namespace Retrieval.Serve.Engine;

/// <summary>Loads an embedding model from a model.onnx path (throws with a clear message when the file is missing or invalid).</summary>
public interface IModelLoader
{
    /// <summary>Loads and checks the model at <paramref name="path"/>.</summary>
    IEmbeddingModel Load(string path);
}
