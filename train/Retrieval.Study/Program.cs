using System.Globalization;
using System.Runtime.InteropServices;
using Retrieval.CommandLine;
using Retrieval.Study;
using Retrieval.Study.Parts;
using Retrieval.Study.Report;
using Retrieval.Study.Runs;
using static TorchSharp.torch;

// retrieval-study: one line per event on stdout (plain text: no colours or live bars, so logs and pipes read cleanly).
// Errors follow the project's one policy (CommandLineApp): a bad option or a corrupt cache file is one line, a bug a trace.
return CommandLineApp.Run(StudyCommand.Create(options =>
{
    options.Validate();
    var started = DateTime.UtcNow;
    void Log(string line)
    {
        lock (Console.Out)
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.UtcNow - started:hh\\:mm\\:ss}] {line}"));
    }
    // One libtorch thread per head training: the workers run in parallel, and single-threaded kernels keep results exact.
    set_num_threads(1);
    var context = new StudyContext(options, Log);
    // A part stopped by a signal (kill, Ctrl-C) still records what it cost so far; `finally` does not run then.
    PartResources.Meter? running = null;
    void RecordStopped(PosixSignalContext _)
    {
        if (Interlocked.Exchange(ref running, null) is { } meter) context.Files.AddResources(meter.Stop(false));
    }
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RecordStopped);
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RecordStopped);
    foreach (var part in options.Parts)
    {
        var meter = PartResources.Start(part.ToString().ToLowerInvariant(), options.Workers);
        if (part != StudyPart.Report) running = meter;
        Log($"part {part}: starting (load average {string.Join(" ", PartResources.LoadAverage())})");
        var completed = false;
        try
        {
            switch (part)
            {
                case StudyPart.Modern: new ModernPart(context).Run(); break;
                case StudyPart.Diagnose: new DiagnosisPart(context).Run(); break;
                case StudyPart.Traditional: new TraditionalPart(context).Run(); break;
                case StudyPart.Dims: new DimensionPart(context).Run(); break;
                case StudyPart.Report: StudyReport.Write(context); break;
            }
            completed = true;
        }
        finally
        {
            var resources = meter.Stop(completed);
            if (part != StudyPart.Report && Interlocked.Exchange(ref running, null) is not null) context.Files.AddResources(resources);
            Log(string.Create(CultureInfo.InvariantCulture,
                $"part {part}: {(completed ? "done" : "stopped")} in {resources.WallSeconds:F0} s wall, {resources.CpuSeconds:F0} s CPU (load average {string.Join(" ", resources.LoadAtEnd)})"));
        }
    }
    return 0;
}), args);
