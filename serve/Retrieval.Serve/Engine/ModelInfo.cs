namespace Retrieval.Serve.Engine;

/// <summary>What the server reports about a loaded model: its identity (SHA-256 of model.onnx), input and output sizes, metadata.</summary>
public sealed record ModelInfo(string Sha256, int ImageSize, int EmbeddingSize, IReadOnlyDictionary<string, string> Metadata);
