using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>
/// What else decides a run's floating-point results besides its settings: the CPU model, the libtorch intra-op thread
/// count (reductions are split by it), the device and the TorchSharp/libtorch build. Saved in test-metrics.json, so two
/// runs that differ can be told apart from two that should not.
/// </summary>
public sealed record RunEnvironment(string Cpu, int LogicalCpus, int TorchThreads, string Device, string TorchSharp, string Os)
{
    /// <summary>The environment of this process, training on <paramref name="device"/>.</summary>
    public static RunEnvironment Current(Device device) => new(
        CpuModel(), Environment.ProcessorCount, get_num_threads(), device.ToString(),
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?", RuntimeInformation.OSDescription);

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                   ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
