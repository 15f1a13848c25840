using System.Diagnostics;
using System.Globalization;

namespace Retrieval.Study.Runs;

/// <summary>
/// What one invocation of a part cost: wall and process CPU seconds, the load average (1, 5, 15 min) at its start
/// and end, and the worker count. CPU time is what "about an hour on 2 cores" is judged by on a shared machine.
/// </summary>
public sealed record PartResources(string Part, DateTime StartedUtc, double WallSeconds, double CpuSeconds, IReadOnlyList<double> LoadAtStart,
    IReadOnlyList<double> LoadAtEnd, int Workers, bool Completed)
{
    /// <summary>Starts measuring; <see cref="Meter.Stop"/> gives the record.</summary>
    public static Meter Start(string part, int workers) => new(part, workers);

    /// <summary>The 1/5/15-minute load averages from /proc/loadavg (empty where there is none).</summary>
    public static IReadOnlyList<double> LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public sealed class Meter(string part, int workers)
    {

        private readonly DateTime _start = DateTime.UtcNow;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly IReadOnlyList<double> _load = LoadAverage();

        public PartResources Stop(bool completed) => new(part, _start, _clock.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds, _load, LoadAverage(), workers, completed);
    }
}
