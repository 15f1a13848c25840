using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval.Train.Losses;

/// <summary>
/// Host-to-device copies that do not wait for the device: non_blocking copies from host memory are staged by the
/// driver at once, so the CPU keeps queueing work (a blocking copy synchronises the stream first).
/// </summary>
public static class DeviceUpload
{
    /// <summary><paramref name="host"/> on <paramref name="device"/> (the same tensor when it is already there).</summary>
    public static Tensor To(Tensor host, Device device) =>
        host.device == device ? host : host.to(device, non_blocking: device.type != DeviceType.CPU);
}
