using Retrieval.Train.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Tests.Training;

[Collection("TorchSharp")]
public sealed class DeviceSelectorTests
{
    [Fact]
    public void AutoFollowsCudaAvailabilityAndSaysWhich()
    {
        var (device, description) = DeviceSelector.Resolve(DeviceChoice.Auto);
        var expected = cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, device.type);
        Assert.StartsWith($"device: {expected.ToString().ToLowerInvariant()} (auto", description);
    }

    [Fact]
    public void CudaWithoutAGpuIsAClearError()
    {
        if (cuda.is_available()) return;   // the error path exists only without CUDA
        Assert.Contains("no CUDA device", Assert.Throws<InvalidOperationException>(() => DeviceSelector.Resolve(DeviceChoice.Cuda)).Message);
    }

    [Fact]
    public void CpuIsAlwaysAvailable() => Assert.Equal(DeviceType.CPU, DeviceSelector.Resolve(DeviceChoice.Cpu).Device.type);
}
