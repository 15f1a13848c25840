namespace Retrieval.OnnxRuntime;

/// <summary>A model file that cannot be served: missing, corrupt, not an ONNX model, or not one of ours (an IOException, like any unusable input file).</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : IOException(message, inner);
