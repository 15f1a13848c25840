using System.Globalization;
using System.Text;
using Retrieval.Study.Results;
using Retrieval.Study.Statistics;

namespace Retrieval.Study.Report;

/// <summary>The modern-protocol section: the setting, the per-loss table with intervals, the plot, the regulariser, and (appendix) every search trial.</summary>
public static class ModernSection
{
    public static void Append(StringBuilder md, ModernResult? m, string plot, double? meanCosine)
    {
        md.AppendLine("## Modern protocol (MLRC): frozen features, cross-validated search, repeated fold models");
        md.AppendLine();
        if (m is null) { md.AppendLine("Not run yet (`make study PART=modern`)."); md.AppendLine(); return; }
        var reps = m.Losses.Count > 0 ? m.Losses[0].Repetitions.Count : 0;
        var h = m.Head;
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Every image is embedded once by the frozen backbone ({m.Extractor}); only the embedding head (Linear {m.EmbeddingSize}-d + L2 norm) and the loss's own " +
            $"parameters (mean fields, proxies) are trained. Data: {m.TrainImages} training images of {m.TrainClasses} classes, split by class into {m.Folds} folds " +
            $"(class-disjoint, by a stable hash of the class id); test: {m.QueryImages} queries against {(m.GalleryImages > 0 ? $"{m.GalleryImages} gallery images" : "each other, self excluded")}. " +
            $"Per loss, {m.Trials} trials (trial 0 = the paper's defaults, the rest drawn at random from the ranges in the appendix) are each trained on all {m.Folds} folds; " +
            $"the trial with the best mean validation MAP@R is chosen (the test split is never looked at). With it, {reps} repetitions (new seeds) of the {m.Folds} fold " +
            $"models are trained and tested: **separated** = the mean of the fold models' own test scores ({m.EmbeddingSize}-d), **concatenated** = their " +
            $"embeddings joined ({m.Folds} x {m.EmbeddingSize} = {m.Folds * m.EmbeddingSize}-d), as MLRC reports. Head training: AdamW wd {h.WeightDecay:G3}, " +
            $"batches of {h.ClassesPerBatch} classes x {h.ImagesPerClass} images, {h.WarmupEpochs} warm-up epoch, StepLR {h.LrStep}/{h.LrGamma:G3}, clip {h.GradientClipNorm:G3}, " +
            $"at most {h.MaxEpochs} epochs, the best validation epoch kept, early stop after {h.Patience} without improvement (not before epoch {h.MinEpochs})."));
        md.AppendLine();
        var spread = meanCosine is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"; two random training images have a mean cosine similarity of {c:F3} in that feature space (1 = one direction).")
            : ".";
        md.AppendLine($"The raw {m.Extractor.Split(',')[0]} features (L2-normalised, no head) score test P@1 {Pct(m.RawFeatures.PrecisionAt1)}, " +
                      $"R-Precision {Pct(m.RawFeatures.RPrecision)}, MAP@R **{Pct(m.RawFeatures.MapAtR)}**{spread}");
        md.AppendLine();
        var table = new MarkdownTable("loss", "CV validation MAP@R", "separated P@1", "separated R-Prec.", "separated MAP@R", "concatenated P@1", "concatenated R-Prec.", "concatenated MAP@R", "best epoch");
        foreach (var l in m.Losses)
        {
            string I(Func<RepetitionScore, double> f) => Interval.Of(l.Repetitions.Select(f).ToList()).Format(100, 2);
            var chosen = l.Trials[l.Best.Index];
            table.Add(ClaimsTable.Name(l.Loss), Pct(chosen.MeanValidationMapAtR),
                I(r => r.Separated.PrecisionAt1), I(r => r.Separated.RPrecision), I(r => r.Separated.MapAtR),
                I(r => r.Concatenated.PrecisionAt1), I(r => r.Concatenated.RPrecision), "**" + I(r => r.Concatenated.MapAtR) + "**",
                l.Repetitions.SelectMany(r => r.BestEpochs).Average().ToString("F1", CultureInfo.InvariantCulture));
        }
        md.AppendLine($"Test accuracies in % (mean ± 95% t-interval over {reps} repetitions); \"best epoch\" = mean best validation epoch of the fold models.");
        md.AppendLine();
        md.Append(table);
        md.AppendLine();
        md.AppendLine($"![modern protocol: test MAP@R per loss]({plot})");
        md.AppendLine();
        var regularised = m.Losses.Where(l => l.WithRegulariser is not null).ToList();
        if (regularised.Count == 0) return;
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"### The mean-field regulariser (lambda_mf = {m.RegulariserWeight:G3} against the official 0, same settings and seeds)"));
        md.AppendLine();
        var reg = new MarkdownTable("loss", "lambda_mf = 0", $"lambda_mf = {m.RegulariserWeight.ToString("G3", CultureInfo.InvariantCulture)}", "difference (paired)");
        foreach (var l in regularised)
        {
            var off = l.Repetitions.Select(r => r.Concatenated.MapAtR).ToList();
            var on = l.WithRegulariser!.Select(r => r.Concatenated.MapAtR).ToList();
            reg.Add(ClaimsTable.Name(l.Loss), Interval.Of(off).Format(100, 2), Interval.Of(on).Format(100, 2), Verdict.Points(Interval.OfDifferences(on, off)));
        }
        md.AppendLine("Concatenated test MAP@R in %.");
        md.AppendLine();
        md.Append(reg);
        md.AppendLine();
    }

    /// <summary>Appendix: every trial of every loss's search, best first.</summary>
    public static void AppendSearch(StringBuilder md, ModernResult? m)
    {
        if (m is null) return;
        md.AppendLine("## Appendix: the searches");
        md.AppendLine();
        md.AppendLine("Ranges: head lr log-uniform 1e-4..1e-2; loss-parameter lr ratio log-uniform 1..1e4 (losses with parameters); " +
                      "alpha/beta/lambda of MS, CWMS, MFCWMS log 0.01..10 / log 10..100 / 0.3..0.9; margins of Contrastive 0..0.4 / 0.3..1.3 (Euclidean), " +
                      "of MFCont 0..0.2 / 0.1..0.9 (cosine distance); ProxyAnchor delta 0..0.3, alpha log 8..64; ProxyNCA scale log 4..64; " +
                      "ArcFace margin 5..40 degrees, scale log 8..64; CosFace margin 0.05..0.5, scale log 8..64; NormSoftmax temperature log 0.01..0.2. " +
                      "Validation MAP@R in %, mean over the folds (each fold: its best epoch); the chosen trial is marked.");
        md.AppendLine();
        foreach (var l in m.Losses)
        {
            md.AppendLine($"### {ClaimsTable.Name(l.Loss)}");
            md.AppendLine();
            var table = new MarkdownTable("trial", "settings", "validation MAP@R", "per fold", "best epochs", "diverged folds");
            table.LeftAligned.Add(1);
            foreach (var t in l.Trials.OrderByDescending(t => t.MeanValidationMapAtR))
                table.Add(t.Index == l.Best.Index ? $"**{t.Index}**" : t.Index.ToString(CultureInfo.InvariantCulture), t.Settings, Pct(t.MeanValidationMapAtR),
                    string.Join(" / ", t.FoldValidationMapAtR.Select(Pct)), string.Join(" ", t.BestEpochs), t.Failures.ToString(CultureInfo.InvariantCulture));
            md.Append(table);
            md.AppendLine();
        }
    }

    /// <summary>A fraction as a percentage with two decimals.</summary>
    public static string Pct(double v) => (100 * v).ToString("F2", CultureInfo.InvariantCulture);
}
