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

    /// <summary>The three load averages as `uptime` prints them ("5.12 4.80 3.95"); "n/a" where /proc/loadavg is not there.</summary>
    public static string Text()
    {
        var (one, five, fifteen) = Read();
        return double.IsNaN(one) ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{one:F2} {five:F2} {fifteen:F2}");
    }

    private static double Parse(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
