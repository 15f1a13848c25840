namespace Retrieval.Bench;

/// <summary>One measured case of the export benchmark: a model, a batch size, both engines.</summary>
/// <param name="Backbone">Backbone name.</param>
/// <param name="ImageSize">Input side in pixels.</param>
/// <param name="Batch">Images per call.</param>
/// <param name="OnnxRuntimePerSecond">Embeddings per second with ONNX Runtime.</param>
/// <param name="TorchSharpPerSecond">Embeddings per second with TorchSharp (eval mode, no_grad).</param>
/// <param name="MaxAbsDiff">Largest |ONNX − TorchSharp| over the benchmark's input.</param>
public sealed record ExportBenchmarkRow(string Backbone, int ImageSize, int Batch, double OnnxRuntimePerSecond, double TorchSharpPerSecond, double MaxAbsDiff)
{
    /// <summary>ONNX Runtime throughput / TorchSharp throughput.</summary>
    public double Ratio => OnnxRuntimePerSecond / TorchSharpPerSecond;
}
