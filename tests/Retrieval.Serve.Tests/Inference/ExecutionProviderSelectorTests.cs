using Microsoft.ML.OnnxRuntime;
using Retrieval.OnnxRuntime;
using Retrieval.Serve.Tests.Service;

namespace Retrieval.Serve.Tests.Inference;

/// <summary>
/// Provider selection on this CPU machine: CUDA is tried only when the runtime has the provider and the GPU is wanted,
/// and a CUDA attempt that fails falls back to a working CPU session with one line saying why.
/// (The GPU package itself, end to end: make serve-gpu-check.)
/// </summary>
[Collection("TorchSharp")]
public sealed class ExecutionProviderSelectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("providers").FullName;
    private readonly string _model;

    public ExecutionProviderSelectorTests() => _model = TinyOnnxModel.Export(Path.Combine(_dir, "model.onnx"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Provider, string Log) Select(bool useGpu, params string[] available)
    {
        var log = new List<string>();
        var options = new OnnxEmbedderOptions { UseGpu = useGpu, Log = log.Add };
        var (session, provider) = ExecutionProviderSelector.CreateSession(_model, options, available);
        using (session)
        {
            Assert.Single(session.InputMetadata); // a working session
        }
        return (provider, Assert.Single(log));
    }

    [Fact]
    public void ThisBuildsRuntimeHasNoCudaProviderSoTheCpuIsChosenAndSaidWhy()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        Assert.Contains("CPUExecutionProvider", available);
        Assert.DoesNotContain(ExecutionProviderSelector.CudaProvider, available);
        var (provider, log) = Select(true, available);
        Assert.Equal("CPU", provider);
        Assert.Contains("no CUDA provider", log);
    }

    [Fact]
    public void AFailedCudaAttemptFallsBackToAWorkingCpuSession()
    {
        // The runtime claims CUDA, but this machine's ONNX Runtime cannot start it: the CPU takes over.
        var (provider, log) = Select(true, ExecutionProviderSelector.CudaProvider, "CPUExecutionProvider");
        Assert.Equal("CPU", provider);
        Assert.StartsWith("ONNX Runtime: CPU execution provider", log);
        Assert.Contains("CUDA unavailable:", log);
        using var embedder = new OnnxEmbedder(_model, new OnnxEmbedderOptions { Log = _ => { } });
        Assert.Equal(16, embedder.Embed(new float[3 * 32 * 32], 1).Length);
    }

    [Fact]
    public void TheGpuCanBeTurnedOff()
    {
        var (provider, log) = Select(false, ExecutionProviderSelector.CudaProvider, "CPUExecutionProvider");
        Assert.Equal(("CPU", true), (provider, log.Contains("GPU disabled by option")));
    }
}
