namespace Retrieval.Bench.Abuse;

/// <summary>Another process's resident memory from /proc (Linux): the peak mark is reset before each case (clear_refs 5).</summary>
public static class ProcessRss
{
    /// <summary>Resets the peak-RSS mark of <paramref name="pid"/>.</summary>
    public static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>Peak RSS (VmHWM) of <paramref name="pid"/> since the last reset, MiB.</summary>
    public static double PeakMiB(int pid) => Field(pid, "VmHWM:") / 1024.0;

    /// <summary>Current RSS of <paramref name="pid"/>, bytes.</summary>
    public static long CurrentBytes(int pid) => Field(pid, "VmRSS:") * 1024;

    /// <summary>Current RSS of <paramref name="pid"/>, MiB.</summary>
    public static double CurrentMiB(int pid) => Field(pid, "VmRSS:") / 1024.0;

    private static long Field(int pid, string name)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0]);
    }
}
