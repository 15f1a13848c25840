using Microsoft.ML.OnnxRuntime;

namespace Retrieval.Inference;

/// <summary>Creates the ONNX Runtime session: CUDA when built with -p:OrtBackend=gpu and a GPU is usable, else CPU; logs one line saying which.</summary>
public static class ExecutionProviderSelector
{
    /// <summary>The session for <paramref name="modelPath"/> and the provider name ("CUDA" or "CPU").</summary>
    public static (InferenceSession Session, string Provider) CreateSession(string modelPath, OnnxEmbedderOptions options)
    {
#if ORT_GPU
        if (options.UseGpu)
        {
            try
            {
                using var gpuOptions = BaseOptions(options);
                gpuOptions.AppendExecutionProvider_CUDA(0);
                var session = new InferenceSession(modelPath, gpuOptions);
                options.Log($"ONNX Runtime: CUDA execution provider (device 0) for {modelPath}");
                return (session, "CUDA");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                options.Log($"ONNX Runtime: CPU execution provider for {modelPath} (CUDA unavailable: {e.Message.Split('\n')[0]})");
                using var cpuFallback = BaseOptions(options);
                return (Open(modelPath, cpuFallback), "CPU");
            }
        }
        const string reason = "GPU disabled by option";
#else
        const string reason = "built without -p:OrtBackend=gpu";
#endif
        using var cpuOptions = BaseOptions(options);
        var cpu = Open(modelPath, cpuOptions);
        options.Log($"ONNX Runtime: CPU execution provider for {modelPath} ({reason})");
        return (cpu, "CPU");
    }

    private static SessionOptions BaseOptions(OnnxEmbedderOptions options) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = Math.Max(0, options.IntraOpThreads),
    };

    private static InferenceSession Open(string modelPath, SessionOptions sessionOptions)
    {
        try
        {
            return new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{modelPath}: ONNX Runtime cannot load the model (corrupt or not ONNX): {e.Message}", e);
        }
    }
}
