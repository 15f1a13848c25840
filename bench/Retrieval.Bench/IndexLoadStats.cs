using System.Text.Json;

namespace Retrieval.Bench;

/// <summary>Loading a saved index in a fresh process: wall and CPU seconds, and the resident memory the load added (all, and anonymous only).</summary>
public sealed record IndexLoadStats(double LoadSeconds, double LoadCpuSeconds, long RssBytes, long RssAnonBytes)
{
    /// <summary>Reads {"loadSeconds", "loadCpuSeconds", "rssBytes", "rssAnonBytes"} as every library's load probe prints it.</summary>
    public static IndexLoadStats FromJson(JsonElement e) =>
        new(e.GetProperty("loadSeconds").GetDouble(), e.GetProperty("loadCpuSeconds").GetDouble(), e.GetProperty("rssBytes").GetInt64(), e.GetProperty("rssAnonBytes").GetInt64());

    /// <summary>Resident bytes of this process from /proc/self/status ("VmRSS" or "RssAnon").</summary>
    public static long Resident(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0]) * 1024;
        return -1;
    }
}
