using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>Resolves <see cref="DeviceChoice"/> to a TorchSharp device, with a sentence saying which and why.</summary>
public static class DeviceSelector
{
    /// <summary>The device to train on; throws <see cref="InvalidOperationException"/> when CUDA is requested but absent.</summary>
    public static (Device Device, string Description) Resolve(DeviceChoice choice)
    {
        var available = cuda_is_available();
        return choice switch
        {
            DeviceChoice.Cpu => (CPU, "device: cpu (requested)"),
            DeviceChoice.Cuda when available => (CUDA, $"device: cuda (requested; {cuda.device_count()} GPU(s) visible)"),
            DeviceChoice.Cuda => throw new InvalidOperationException(
                "--device cuda was requested but TorchSharp sees no CUDA device (build with TorchBackend=cuda on a machine with an NVIDIA GPU and driver), or use --device cpu|auto"),
            _ when available => (CUDA, "device: cuda (auto: TorchSharp sees a CUDA device)"),
            _ => (CPU, "device: cpu (auto: TorchSharp sees no CUDA device)"),
        };
    }
}
