namespace Retrieval.Serve.Engine;

/// <summary>A held-out query image with its class label.</summary>
public sealed record LabelledQuery(byte[] Image, string Label);
