using System.CommandLine;
using System.Globalization;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;

namespace Retrieval.Study;

/// <summary>The retrieval-study command line: every <see cref="StudyOptions"/> setting as an option.</summary>
public static class StudyCommand
{
    public static RootCommand Create(Func<StudyOptions, int> run)
    {
        var d = new StudyOptions { DataRoot = "" };
        var data = new Option<string>("--data") { Description = "Data set root (In-Shop layout, CUB-200-2011 or Stanford Online Products)", Required = true };
        var part = new Option<string[]>("--part") { Description = "Parts to run: modern, diagnose, traditional, dims, report, all (default all)", AllowMultipleArgumentsPerToken = true };
        var cache = new Option<string?>("--cache") { Description = "Study folder: features, finished runs, part results (default runs/study/<data set folder>)" };
        var report = Opt("--report", d.ReportPath, "Markdown report to write");
        var plots = new Option<string?>("--plots") { Description = "Folder of the report's PNGs (default: <report without .md>/)" };
        var workers = Opt("--workers", d.Workers, "Parallel head trainings (one libtorch thread each); also the libtorch threads of fine-tuning");
        var seed = Opt("--seed", d.Seed, "Seed of the search trials and of the backbone's random initialisation");
        var backbone = Opt("--backbone", d.Backbone, "Backbone layout (retrieval-train --backbone)");
        var pretrained = new Option<string>("--pretrained")
        {
            Description = $"Backbone weights (retrieval-train --pretrained): {ImageNetResNet18.Name} (needs --backbone {BackboneNames.ResNet18Cntk}), a safetensors file, or none (random initialisation) (default {d.Pretrained})",
            DefaultValueFactory = _ => d.Pretrained ?? "none",
        };
        var imageSize = Opt("--image-size", d.ImageSize, "Frozen features: input size in pixels");
        var losses = new Option<string[]>("--losses") { Description = $"Losses of the modern part (default all: {string.Join(", ", LossFactory.Names)})", AllowMultipleArgumentsPerToken = true };
        var folds = Opt("--folds", d.Folds, "Class-disjoint cross-validation folds");
        var trials = Opt("--trials", d.Trials, "Search trials per loss (trial 0 = defaults)");
        var reps = Opt("--reps", d.Repetitions, "Repetitions (seeds) of the fold models with the chosen settings");
        var embedding = Opt("--embedding-size", d.EmbeddingSize, "Modern part: embedding size of one fold model");
        var epochs = Opt("--head-epochs", d.Head.MaxEpochs, "Modern/dims: maximum epochs of a head training");
        var patience = Opt("--head-patience", d.Head.Patience, "Modern/dims: early-stopping patience (epochs)");
        var minEpochs = Opt("--head-min-epochs", d.Head.MinEpochs, "Modern/dims: no early stop before this epoch");
        var perClass = Opt("--images-per-class", d.Head.ImagesPerClass, "Modern/dims: images per class in a batch");
        var regulariser = Opt("--mf-weight", d.RegulariserWeight, "lambda_mf of the regulariser-on runs of the mean-field losses");
        var dims = new Option<int[]>("--dims") { Description = "Dimensions of the sweep (default 16 32 64 128 256 512)", AllowMultipleArgumentsPerToken = true };
        var dimLosses = new Option<string[]>("--dim-losses") { Description = "Losses of the sweep", AllowMultipleArgumentsPerToken = true };
        var dimReps = Opt("--dim-reps", d.DimensionRepetitions, "Repetitions per dimension");
        var tradLosses = new Option<string[]>("--trad-losses") { Description = "Losses of the traditional part", AllowMultipleArgumentsPerToken = true };
        var seeds = Opt("--trad-seeds", d.TraditionalSeeds, "Traditional part: seeds per loss");
        var tradEpochs = Opt("--trad-epochs", d.TraditionalEpochs, "Traditional part: epochs per run");
        var tradSize = Opt("--trad-image-size", d.TraditionalImageSize, "Traditional part: image size in pixels");
        var tradLr = Opt("--trad-lr", d.TraditionalLearningRate, "Traditional part: AdamW learning rate of the network");

        var root = new RootCommand("retrieval-study: the paper's claims measured — modern (frozen features, cross-validated search) and traditional (fine-tuning) protocols, embedding-dimension sweep, docs/study.md")
        {
            data, part, cache, report, plots, workers, seed, backbone, pretrained, imageSize, losses, folds, trials, reps, embedding, epochs, patience, minEpochs, perClass,
            regulariser, dims, dimLosses, dimReps, tradLosses, seeds, tradEpochs, tradSize, tradLr,
        };
        root.SetAction(parse =>
        {
            IReadOnlyList<string> List(Option<string[]> option, IReadOnlyList<string> fallback) =>
                parse.GetValue(option) is { Length: > 0 } v ? v.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(x => x.ToLowerInvariant()).ToList() : fallback;
            var options = d with
            {
                DataRoot = parse.GetValue(data)!,
                Parts = ParseParts(List(part, ["all"])),
                CacheDirectory = parse.GetValue(cache),
                ReportPath = parse.GetValue(report)!,
                PlotDirectory = parse.GetValue(plots),
                Workers = parse.GetValue(workers),
                Seed = parse.GetValue(seed),
                Backbone = parse.GetValue(backbone)!,
                Pretrained = parse.GetValue(pretrained) is { } p && !p.Equals("none", StringComparison.OrdinalIgnoreCase) ? p : null,
                ImageSize = parse.GetValue(imageSize),
                Losses = List(losses, d.Losses),
                Folds = parse.GetValue(folds),
                Trials = parse.GetValue(trials),
                Repetitions = parse.GetValue(reps),
                EmbeddingSize = parse.GetValue(embedding),
                Head = d.Head with { MaxEpochs = parse.GetValue(epochs), Patience = parse.GetValue(patience), MinEpochs = parse.GetValue(minEpochs), ImagesPerClass = parse.GetValue(perClass) },
                RegulariserWeight = parse.GetValue(regulariser),
                Dimensions = parse.GetValue(dims) is { Length: > 0 } ds ? ds : d.Dimensions,
                DimensionLosses = List(dimLosses, d.DimensionLosses),
                DimensionRepetitions = parse.GetValue(dimReps),
                TraditionalLosses = List(tradLosses, d.TraditionalLosses),
                TraditionalSeeds = parse.GetValue(seeds),
                TraditionalEpochs = parse.GetValue(tradEpochs),
                TraditionalImageSize = parse.GetValue(tradSize),
                TraditionalLearningRate = parse.GetValue(tradLr),
            };
            return run(options);
        });
        return root;
    }

    private static IReadOnlyList<StudyPart> ParseParts(IReadOnlyList<string> names) =>
        names.Contains("all") ? [StudyPart.Modern, StudyPart.Diagnose, StudyPart.Traditional, StudyPart.Dims, StudyPart.Report]
            : names.Select(n => Enum.TryParse<StudyPart>(n, true, out var p) ? p
                : throw new ArgumentException($"--part: unknown part '{n}' (modern, diagnose, traditional, dims, report, all)")).Distinct().ToList();

    private static Option<T> Opt<T>(string name, T defaultValue, string description) =>
        new(name) { Description = $"{description} (default {Convert.ToString(defaultValue, CultureInfo.InvariantCulture)})", DefaultValueFactory = _ => defaultValue };
}
