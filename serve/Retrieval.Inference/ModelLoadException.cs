namespace Retrieval.Inference;

/// <summary>A model file that cannot be served: missing, corrupt, not an ONNX model, or not one of ours.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
