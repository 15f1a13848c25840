namespace Retrieval.Serve.Tests.Fakes;

/// <summary>This process's resident memory from /proc (Linux): current, and the peak since the last reset.</summary>
public static class ProcessMemory
{
    /// <summary>Collects garbage, resets the kernel's peak-RSS mark (clear_refs 5) and returns the current RSS in bytes.</summary>
    public static long ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Field("VmRSS:");
    }

    /// <summary>The peak RSS (VmHWM) in bytes.</summary>
    public static long PeakBytes() => Field("VmHWM:");

    private static long Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0]) * 1024;
    }
}
