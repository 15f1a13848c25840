namespace Retrieval.Bench.Load;

/// <summary>Resident memory of a process, from /proc/{pid}/status (Linux).</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS of process <paramref name="pid"/> in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }
}
