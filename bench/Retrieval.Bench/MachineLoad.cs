using System.Globalization;

namespace Retrieval.Bench;

/// <summary>The machine's load average (the numbers `uptime` prints), quoted with every timing.</summary>
public static class MachineLoad
{
    /// <summary>1-, 5- and 15-minute load averages from /proc/loadavg; NaN where the file is not there.</summary>
    public static (double One, double Five, double Fifteen) Read()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return (Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
        }
        catch (IOException)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
