using Microsoft.ML.OnnxRuntime;

namespace Retrieval.OnnxRuntime;

/// <summary>
/// Creates the ONNX Runtime session: CUDA when the loaded ONNX Runtime has the CUDA execution provider (the build with
/// -p:OrtBackend=gpu, Microsoft.ML.OnnxRuntime.Gpu) and a GPU is usable, else CPU; logs one line saying which and why.
/// The choice is made at run time from the providers the native library reports, so one code path serves both builds.
/// </summary>
public static class ExecutionProviderSelector
{
    /// <summary>ONNX Runtime's name of the CUDA execution provider.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The session for <paramref name="modelPath"/> and the provider name ("CUDA" or "CPU").</summary>
    public static (InferenceSession Session, string Provider) CreateSession(string modelPath, OnnxEmbedderOptions options) =>
        CreateSession(modelPath, options, OrtEnv.Instance().GetAvailableProviders());

    /// <summary>As <see cref="CreateSession(string, OnnxEmbedderOptions)"/>, given the providers the runtime reports (tests pass their own).</summary>
    public static (InferenceSession Session, string Provider) CreateSession(string modelPath, OnnxEmbedderOptions options,
        IReadOnlyCollection<string> availableProviders)
    {
        string reason;
        if (!options.UseGpu) reason = "GPU disabled by option";
        else if (!availableProviders.Contains(CudaProvider))
            reason = "this ONNX Runtime has no CUDA provider: build with -p:OrtBackend=gpu (make serve DEVICE=cuda)";
        else
        {
            try
            {
                using var gpuOptions = BaseOptions(options);
                gpuOptions.AppendExecutionProvider_CUDA(options.GpuDevice);
                var session = new InferenceSession(modelPath, gpuOptions);
                options.Log($"ONNX Runtime: CUDA execution provider (device {options.GpuDevice}) for {modelPath}");
                return (session, "CUDA");
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // No driver, no GPU, or CUDA/cuDNN libraries missing: the provider library fails to load.
                reason = $"CUDA unavailable: {e.Message.Split('\n')[0].Trim()}";
            }
        }
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
