using Retrieval.Study.Heads;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;

namespace Retrieval.Study;

/// <summary>Every setting of a study run (the CLI fills it). Defaults are sized for about an hour per part on 2 CPU cores.</summary>
public sealed record StudyOptions
{
    public required string DataRoot { get; init; }
    /// <summary>Features, finished runs and part results (runs/study/&lt;data set&gt; by default).</summary>
    public string? CacheDirectory { get; init; }
    public string ReportPath { get; init; } = "docs/study.md";
    /// <summary>Folder of the report's PNGs (default: beside the report, named after it).</summary>
    public string? PlotDirectory { get; init; }
    public IReadOnlyList<StudyPart> Parts { get; init; } = [StudyPart.Modern, StudyPart.Diagnose, StudyPart.Traditional, StudyPart.Dims, StudyPart.Report];
    /// <summary>Parallel head trainings (one libtorch thread each).</summary>
    public int Workers { get; init; } = 2;
    public int Seed { get; init; } = 1;

    // Backbone (both protocols)
    public string Backbone { get; init; } = BackboneNames.ResNet18Cntk;
    /// <summary>retrieval-train's --pretrained value (null: random initialisation); by default the ImageNet ResNet-18 of NuGet.</summary>
    public string? Pretrained { get; init; } = ImageNetResNet18.Name;
    public int ImageSize { get; init; } = 64;

    // Modern protocol (frozen features)
    public IReadOnlyList<string> Losses { get; init; } = LossFactory.Names;
    public int Folds { get; init; } = 4;
    public int Trials { get; init; } = 10;
    public int Repetitions { get; init; } = 5;
    public int EmbeddingSize { get; init; } = 128;
    public HeadSchedule Head { get; init; } = new();
    /// <summary>lambda_mf of the "regulariser on" runs of the mean-field losses.</summary>
    public double RegulariserWeight { get; init; } = 1;

    // Embedding-dimension sweep (frozen features, the modern search's hyper-parameters)
    public IReadOnlyList<int> Dimensions { get; init; } = [16, 32, 64, 128, 256, 512];
    public IReadOnlyList<string> DimensionLosses { get; init; } =
        [LossNames.ProxyAnchor, LossNames.MeanFieldContrastive, LossNames.MeanFieldClassWiseMultiSimilarity, LossNames.Contrastive, LossNames.ClassWiseMultiSimilarity];
    public int DimensionRepetitions { get; init; } = 3;

    // Traditional protocol (full fine-tuning)
    public IReadOnlyList<string> TraditionalLosses { get; init; } =
        [LossNames.ProxyAnchor, LossNames.MeanFieldContrastive, LossNames.MeanFieldClassWiseMultiSimilarity, LossNames.Contrastive, LossNames.ClassWiseMultiSimilarity];
    public int TraditionalSeeds { get; init; } = 3;
    public int TraditionalEpochs { get; init; } = 6;
    public int TraditionalImageSize { get; init; } = 48;
    public int TraditionalEmbeddingSize { get; init; } = 512;
    public double TraditionalLearningRate { get; init; } = 1e-4;
    /// <summary>Loss-parameter learning-rate ratio per loss (mean fields: the official 2000; proxies: Proxy-Anchor's own x100).</summary>
    public double TraditionalRatio(string loss) => loss == LossNames.ProxyAnchor ? 100 : 2000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(!string.IsNullOrWhiteSpace(DataRoot), "--data is required");
        Check(Workers >= 1, "--workers must be at least 1");
        Check(Folds >= 2, "--folds must be at least 2");
        Check(Trials >= 1, "--trials must be at least 1");
        Check(Repetitions >= 2, "--reps must be at least 2 (an interval needs two values)");
        Check(DimensionRepetitions >= 2, "--dim-reps must be at least 2");
        Check(TraditionalSeeds >= 2, "--trad-seeds must be at least 2");
        Check(EmbeddingSize >= 2 && Dimensions.All(d => d >= 2), "embedding sizes must be at least 2");
        Check(TraditionalEpochs >= 1, "--trad-epochs must be at least 1");
        Check(ImageSize >= 16 && TraditionalImageSize >= 16, "image sizes must be at least 16");
        Check(Pretrained != ImageNetResNet18.Name || Backbone == BackboneNames.ResNet18Cntk, $"--pretrained {ImageNetResNet18.Name} needs --backbone {BackboneNames.ResNet18Cntk}");
        foreach (var loss in Losses.Concat(DimensionLosses).Concat(TraditionalLosses)) LossFactory.Defaults(loss);
    }
}
