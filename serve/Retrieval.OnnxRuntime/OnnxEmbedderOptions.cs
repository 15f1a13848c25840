namespace Retrieval.OnnxRuntime;

/// <summary>How <see cref="OnnxEmbedder"/> runs the model.</summary>
public sealed record OnnxEmbedderOptions
{
    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Largest batch handed to ONNX Runtime in one run; bigger requests are split.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>Try the CUDA execution provider (used when the ONNX Runtime build has it: -p:OrtBackend=gpu).</summary>
    public bool UseGpu { get; init; } = true;

    /// <summary>CUDA device index for the CUDA execution provider.</summary>
    public int GpuDevice { get; init; }

    /// <summary>Receives the one line saying which execution provider runs the model; default standard error.</summary>
    public Action<string> Log { get; init; } = Console.Error.WriteLine;
}
