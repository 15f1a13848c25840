using Retrieval.Train.Losses;
using Retrieval.Train.Models;

namespace Retrieval.Train.Training;

/// <summary>
/// Every setting of a training run (the CLI fills it; config.json records it). The defaults are `make train`'s: fine-tune
/// the ImageNet ResNet-18 (resnet18-cntk) with MFCWMS at 96 px (the emoji images, 64 px, upscaled: chosen on validation
/// over 64 px), sized for 2 CPU cores
/// (docs/training.md#the-default-run).
/// </summary>
public sealed record TrainOptions
{
    public required string DataRoot { get; init; }
    /// <summary>The loss and its typed hyper-parameters (config.json: "loss": {"name": "mfcwms", ...}).</summary>
    public LossSettings Loss { get; init; } = new MeanFieldClassWiseMultiSimilaritySettings();
    /// <summary>Check the loss's input values (labels in range, finite, unit rows) at every step, not only at each epoch's first step.</summary>
    public bool CheckEveryStep { get; init; }
    public string Backbone { get; init; } = BackboneNames.ResNet18Cntk;
    public int ImageSize { get; init; } = 96;
    /// <summary>Evaluation: shorter side resized to this, then centre-cropped to <see cref="ImageSize"/>.</summary>
    public int EvalResize { get; init; } = 96;
    /// <summary>Smallest area fraction of the training random resized crop.</summary>
    public double CropScaleMin { get; init; } = 0.5;
    public int EmbeddingSize { get; init; } = 128;
    public int Epochs { get; init; } = 6;
    public int ClassesPerBatch { get; init; } = 32;
    public int ImagesPerClass { get; init; } = 2;
    public double LearningRate { get; init; } = 1e-4;
    public double LossLearningRateRatio { get; init; } = 2000;
    public double WeightDecay { get; init; } = 1e-4;
    public int WarmupEpochs { get; init; } = 1;
    public int LrStep { get; init; } = 10;
    public double LrGamma { get; init; } = 0.5;
    public double GradientClipNorm { get; init; } = 10;
    public int Patience { get; init; } = 5;
    public bool FreezeBatchNorm { get; init; } = true;
    /// <summary>Backbone stages that never train: 0 none, 1 the stem, 2 stem and layer1, ... 5 the whole backbone.</summary>
    public int FrozenStages { get; init; }
    /// <summary>First epochs in which only the head and the loss's parameters train (the backbone held frozen).</summary>
    public int HeadWarmupEpochs { get; init; }
    /// <summary>Backbone weights: "imagenet-resnet18" (the NuGet ResNet-18, converted), a torchvision safetensors file, or null (random).</summary>
    public string? Pretrained { get; init; }
    /// <summary>Fraction of the training classes held out (class-disjoint) for validation.</summary>
    public double ValidationFraction { get; init; } = 0.15;
    public int Seed { get; init; } = 1;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    public string OutputDir { get; init; } = "runs";
    public string RunName { get; init; } = "default";
    public bool Resume { get; init; }
    /// <summary>Intra-op threads of libtorch; 0 takes libtorch's default (one per physical core), resolved and recorded in config.json.</summary>
    public int Threads { get; init; }
    public int EvalBatchSize { get; init; } = 128;
    /// <summary>Decoded images are kept in memory when they fit in this many MiB.</summary>
    public int CacheMegabytes { get; init; } = 1024;
    public int PrefetchBatches { get; init; } = 4;
    /// <summary>Recall@K cut-offs reported on validation and test.</summary>
    public IReadOnlyList<int> RecallAtK { get; init; } = [1, 10, 20, 30, 40, 50];

    /// <summary>The run directory: OutputDir/RunName.</summary>
    public string RunDirectory => Path.Combine(OutputDir, RunName);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(!string.IsNullOrWhiteSpace(DataRoot), "--data: the data root is required");
        Loss.Validate();
        Check(ImageSize >= 16, "--image-size must be at least 16");
        Check(EvalResize >= ImageSize, "--eval-resize must be at least --image-size");
        Check(CropScaleMin is > 0 and <= 1, "--crop-scale-min must be in (0, 1]");
        Check(EmbeddingSize >= 2, "--embedding-size must be at least 2");
        Check(Epochs >= 1, "--epochs must be at least 1");
        Check(ClassesPerBatch >= 2, "--classes-per-batch must be at least 2");
        Check(ImagesPerClass >= 1, "--images-per-class must be at least 1");
        Check(LearningRate > 0 && double.IsFinite(LearningRate), "--lr must be a positive number");
        Check(LossLearningRateRatio > 0 && double.IsFinite(LossLearningRateRatio), "--loss-lr-ratio must be a positive number");
        Check(WeightDecay >= 0, "--weight-decay must be >= 0");
        Check(WarmupEpochs >= 0, "--warmup must be >= 0");
        Check(LrStep >= 1, "--lr-step must be at least 1");
        Check(LrGamma is > 0 and <= 1, "--lr-gamma must be in (0, 1]");
        Check(FrozenStages is >= 0 and <= 5, "--frozen-stages must be in 0..5 (stem, layer1..layer4)");
        Check(HeadWarmupEpochs >= 0, "--head-warmup must be >= 0");
        Check(Patience >= 1, "--patience must be at least 1");
        Check(ValidationFraction is > 0 and < 1, "--val-fraction must be in (0, 1)");
        Check(Threads >= 0, "--threads must be >= 0");
        Check(EvalBatchSize >= 1, "--eval-batch-size must be at least 1");
        Check(PrefetchBatches >= 1, "--prefetch must be at least 1");
        Check(!string.IsNullOrWhiteSpace(RunName) && RunName.IndexOfAny(Path.GetInvalidFileNameChars()) < 0, "--name must be a plain directory name");
        Check(Pretrained != ImageNetResNet18.Name || Backbone == BackboneNames.ResNet18Cntk, $"--pretrained {ImageNetResNet18.Name} needs --backbone {BackboneNames.ResNet18Cntk}");
        Check(Pretrained is null || Pretrained == ImageNetResNet18.Name || File.Exists(Pretrained), $"--pretrained: expected {ImageNetResNet18.Name} or a safetensors file; file not found: {Pretrained}");
    }
}
