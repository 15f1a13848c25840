using System.Globalization;
using System.Text;
using Retrieval.Core.IO;
using Retrieval.Study.Features;
using Retrieval.Study.Results;
using Retrieval.Study.Runs;

namespace Retrieval.Study.Report;

/// <summary>
/// Writes the study report (Markdown) and its PNGs from the part results in the study folder: the claims table first,
/// then each part's tables and plots, the search details, the cost of each part, and the statistics used. A part that
/// has not run is reported as such; nothing is recomputed here.
/// </summary>
public static class StudyReport
{
    public static void Write(StudyContext context)
    {
        var files = context.Files;
        var modern = StudyFiles.Load<ModernResult>(files.Modern);
        var traditional = StudyFiles.Load<TraditionalResult>(files.Traditional);
        var dims = StudyFiles.Load<DimensionResult>(files.Dims);
        var diagnosis = StudyFiles.Load<DiagnosisResult>(files.Diagnosis);
        var resources = files.AllResources();
        var reportPath = Path.GetFullPath(context.Options.ReportPath);
        var plotDirectory = Path.GetFullPath(context.Options.PlotDirectory ?? Path.ChangeExtension(reportPath, null));
        var findings = Path.Combine(plotDirectory, "findings.md");
        string Link(string name) => Path.GetRelativePath(Path.GetDirectoryName(reportPath)!, Path.Combine(plotDirectory, name)).Replace('\\', '/');

        var md = new StringBuilder();
        md.AppendLine($"# Study: the paper's claims measured on {modern?.Dataset ?? traditional?.Dataset ?? dims?.Dataset ?? "(no part has run)"}");
        md.AppendLine();
        md.AppendLine("Written by `make study` (`retrieval-study`) from the part results in `" + Path.GetRelativePath(Environment.CurrentDirectory, files.Root) +
                      "`; every number below comes from those runs. How to run it, part by part: [docs/training.md](training.md#the-study-make-study).");
        md.AppendLine();
        md.AppendLine("## Claims");
        md.AppendLine();
        var claims = new MarkdownTable("the paper's claim", "measured here (95% CI)", "here");
        claims.LeftAligned.UnionWith([1, 2]);
        foreach (var c in ClaimsTable.Build(modern, traditional, dims)) claims.Add(c.Statement, c.Measurement, c.Verdict);
        md.Append(claims);
        md.AppendLine();
        md.AppendLine("Differences are in percentage points of MAP@R (x100), mean ± half-width of the two-sided 95% Student-t interval of the " +
                      "paired differences (the same seeds, and in the modern protocol the same folds, on both sides). \"holds\" = the interval lies above 0; " +
                      "\"does not hold\" = it lies below 0; \"not shown\" = it contains 0 (the study cannot tell the two apart at this size).");
        md.AppendLine();
        if (File.Exists(findings))
        {
            md.AppendLine(File.ReadAllText(findings).TrimEnd());
            md.AppendLine();
        }
        double? spread = modern is not null && context.HasCachedFeatures ? FeatureGeometry.MeanPairwiseCosine(context.Features.Train) : null;
        ModernSection.Append(md, modern, Link("modern-map.png"), spread);
        if (modern is not null) StudyPlots.Modern(Path.Combine(plotDirectory, "modern-map.png"), modern);
        DiagnosisSection.Append(md, diagnosis);
        TraditionalSection.Append(md, traditional, Link("traditional-curves.png"));
        if (traditional is { Runs.Count: > 0 }) StudyPlots.LearningCurves(Path.Combine(plotDirectory, "traditional-curves.png"), traditional);
        DimensionSection.Append(md, dims, Link("dims.png"));
        if (dims is { Losses.Count: > 0 }) StudyPlots.Dimensions(Path.Combine(plotDirectory, "dims.png"), dims);
        AppendCost(md, resources);
        ModernSection.AppendSearch(md, modern);
        Directory.CreateDirectory(Path.GetDirectoryName(reportPath)!);
        AtomicFile.WriteAllText(reportPath, md.ToString());
        context.Log($"report: wrote {reportPath} and its plots in {plotDirectory}");
    }

    private static void AppendCost(StringBuilder md, IReadOnlyList<PartResources> resources)
    {
        md.AppendLine("## Cost of each part");
        md.AppendLine();
        md.AppendLine("Process CPU time is the measure to judge \"about an hour on 2 cores\" by: wall time depends on how busy the shared machine was " +
                      "(load average at the start and end of each invocation). A part resumed after an interruption lists each invocation.");
        md.AppendLine();
        var table = new MarkdownTable("part", "started (UTC)", "finished", "wall", "CPU", "CPU / 2 cores", "load average at start", "at end", "workers");
        foreach (var r in resources)
            table.Add(r.Part, r.StartedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), r.Completed ? "yes" : "interrupted",
                Minutes(r.WallSeconds), Minutes(r.CpuSeconds), Minutes(r.CpuSeconds / 2),
                string.Join(" ", r.LoadAtStart.Select(v => v.ToString("F1", CultureInfo.InvariantCulture))),
                string.Join(" ", r.LoadAtEnd.Select(v => v.ToString("F1", CultureInfo.InvariantCulture))), r.Workers.ToString(CultureInfo.InvariantCulture));
        md.Append(table);
        md.AppendLine();
    }

    /// <summary>"12.3 min".</summary>
    public static string Minutes(double seconds) => (seconds / 60).ToString("F1", CultureInfo.InvariantCulture) + " min";
}
