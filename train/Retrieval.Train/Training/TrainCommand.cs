using System.CommandLine;
using System.Globalization;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;

namespace Retrieval.Train.Training;

/// <summary>The retrieval-train command line: every <see cref="TrainOptions"/> setting as an option.</summary>
public static class TrainCommand
{
    public static RootCommand Create()
    {
        var d = new TrainOptions { DataRoot = "" };
        var data = new Option<string>("--data") { Description = "Dataset root in DeepFashion In-Shop layout (list_eval_partition.txt + img/)", Required = true };
        var loss = Opt("--loss", d.Loss.Name, $"Loss: {string.Join(", ", LossFactory.Names)}");
        var lossParams = new Option<string[]>("--loss-param")
        {
            Description = "Loss parameter key=value (repeatable), e.g. --loss-param alpha=0.01; keys and defaults: " +
                          string.Join("; ", LossFactory.Names.Select(n => $"{n}: {LossFactory.Defaults(n).Describe()}")),
            AllowMultipleArgumentsPerToken = true,
        };
        var backbone = Opt("--backbone", d.Backbone, $"Backbone: {string.Join(", ", BackboneNames.All)}");
        var imageSize = Opt("--image-size", d.ImageSize, "Training/eval crop size in pixels");
        var evalResize = new Option<int?>("--eval-resize") { Description = "Evaluation: resize the shorter side to this before the centre crop (default: image size)" };
        var cropScale = Opt("--crop-scale-min", d.CropScaleMin, "Smallest area fraction of the random resized crop");
        var embedding = Opt("--embedding-size", d.EmbeddingSize, "Embedding dimension");
        var epochs = Opt("--epochs", d.Epochs, "Maximum number of epochs");
        var classes = Opt("--classes-per-batch", d.ClassesPerBatch, "Classes per batch (C)");
        var perClass = Opt("--images-per-class", d.ImagesPerClass, "Images per class in a batch (m); classes with fewer images repeat some");
        var lr = Opt("--lr", d.LearningRate, "AdamW learning rate of the network");
        var lossLr = Opt("--loss-lr-ratio", d.LossLearningRateRatio, "Learning rate of loss parameters (mean fields, proxies) = lr x this");
        var wd = Opt("--weight-decay", d.WeightDecay, "AdamW weight decay");
        var warmup = Opt("--warmup", d.WarmupEpochs, "Linear warm-up epochs");
        var step = Opt("--lr-step", d.LrStep, "StepLR: epochs between learning-rate decays");
        var gamma = Opt("--lr-gamma", d.LrGamma, "StepLR: decay factor");
        var clip = Opt("--clip", d.GradientClipNorm, "Gradient clipping: maximum global norm");
        var patience = Opt("--patience", d.Patience, "Early stopping: epochs without a better validation MAP@R");
        var freezeBn = Opt("--freeze-bn", d.FreezeBatchNorm, "Freeze BatchNorm (running statistics and affine parameters) [default: on]; --freeze-bn false trains them (a backbone from scratch needs that)");
        var frozenStages = Opt("--frozen-stages", d.FrozenStages, "Backbone stages that never train: 0 none, 1 the stem, 2 stem + layer1, ... 5 all");
        var headWarmup = Opt("--head-warmup", d.HeadWarmupEpochs, "First epochs that train only the head and the loss's parameters (backbone frozen)");
        var pretrained = new Option<string?>("--pretrained")
        {
            Description = $"Backbone weights: {ImageNetResNet18.Name} (the ImageNet ResNet-18 of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18, needs --backbone resnet18-cntk), " +
                          $"a safetensors file with torchvision names, or none (default: {ImageNetResNet18.Name} for resnet18-cntk, none for other backbones)",
        };
        var valFraction = Opt("--val-fraction", d.ValidationFraction, "Fraction of training classes held out for validation");
        var seed = Opt("--seed", d.Seed, "Seed for initialisation, sampling and augmentation");
        var device = Opt("--device", "auto", "cpu, cuda or auto (CUDA when TorchSharp sees one, else CPU)");
        var output = Opt("--output", d.OutputDir, "Directory holding the runs");
        var name = Opt("--name", d.RunName, "Run name: files go to <output>/<name>/");
        var resume = Opt("--resume", false, "Continue the run in <output>/<name> from its last checkpoint");
        var threads = Opt("--threads", d.Threads, "libtorch intra-op threads (0 = libtorch default)");
        var cache = Opt("--cache-mb", d.CacheMegabytes, "Keep decoded images in memory up to this many MiB");
        var evalBatch = Opt("--eval-batch-size", d.EvalBatchSize, "Batch size for embedding validation/test images");
        var prefetch = Opt("--prefetch", d.PrefetchBatches, "Training batches decoded and augmented ahead of the optimiser step");
        var checkEveryStep = Opt("--check-every-step", d.CheckEveryStep,
            "Check the loss's input values (labels, NaN, unit norm) at every step; by default only at each epoch's first step (on a GPU each check waits for the device)");

        var command = new RootCommand("Train an image-embedding network with a metric-learning loss, evaluate it and export it to ONNX.");
        foreach (var option in new Option[] { data, loss, lossParams, backbone, imageSize, evalResize, cropScale, embedding, epochs, classes, perClass,
                     lr, lossLr, wd, warmup, step, gamma, clip, patience, freezeBn, frozenStages, headWarmup, pretrained, valFraction, seed, device, output, name, resume, threads, cache, evalBatch, prefetch, checkEveryStep })
            command.Options.Add(option);

        // Errors are reported by the shared policy (Retrieval.CommandLine.CommandLineApp, which Program.cs runs this under).
        command.SetAction(parse =>
        {
            var options = new TrainOptions
            {
                DataRoot = parse.GetValue(data)!,
                Loss = LossFactory.Defaults(parse.GetValue(loss)!).With(ParseLossParameters(parse.GetValue(lossParams) ?? [])),
                CheckEveryStep = parse.GetValue(checkEveryStep),
                Backbone = parse.GetValue(backbone)!,
                ImageSize = parse.GetValue(imageSize),
                EvalResize = parse.GetValue(evalResize) ?? parse.GetValue(imageSize),
                CropScaleMin = parse.GetValue(cropScale),
                EmbeddingSize = parse.GetValue(embedding),
                Epochs = parse.GetValue(epochs),
                ClassesPerBatch = parse.GetValue(classes),
                ImagesPerClass = parse.GetValue(perClass),
                LearningRate = parse.GetValue(lr),
                LossLearningRateRatio = parse.GetValue(lossLr),
                WeightDecay = parse.GetValue(wd),
                WarmupEpochs = parse.GetValue(warmup),
                LrStep = parse.GetValue(step),
                LrGamma = parse.GetValue(gamma),
                GradientClipNorm = parse.GetValue(clip),
                Patience = parse.GetValue(patience),
                FreezeBatchNorm = parse.GetValue(freezeBn),
                FrozenStages = parse.GetValue(frozenStages),
                HeadWarmupEpochs = parse.GetValue(headWarmup),
                Pretrained = PretrainedChoice(parse.GetResult(pretrained) is { Implicit: false } ? parse.GetValue(pretrained) : null, parse.GetValue(backbone)!),
                ValidationFraction = parse.GetValue(valFraction),
                Seed = parse.GetValue(seed),
                Device = ParseDevice(parse.GetValue(device)!),
                OutputDir = parse.GetValue(output)!,
                RunName = parse.GetValue(name)!,
                Resume = parse.GetValue(resume),
                Threads = parse.GetValue(threads),
                CacheMegabytes = parse.GetValue(cache),
                EvalBatchSize = parse.GetValue(evalBatch),
                PrefetchBatches = parse.GetValue(prefetch),
            };
            options.Validate();
            TrainingSession.Run(options);
            return 0;
        });
        return command;
    }

    /// <summary>Parses "name=value" pairs; a malformed pair or a duplicate name is an error naming it.</summary>
    public static IReadOnlyDictionary<string, double> ParseLossParameters(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length == 0 ||
                !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new ArgumentException($"--loss-param '{pair}': expected name=number");
            if (!result.TryAdd(parts[0].Trim(), value)) throw new ArgumentException($"--loss-param '{parts[0].Trim()}' is given twice");
        }
        return result;
    }

    /// <summary>
    /// The backbone weights: what --pretrained says ("none" = random), or when it is not given, the ImageNet weights for
    /// the backbone they fit (resnet18-cntk) and random weights for any other backbone.
    /// </summary>
    public static string? PretrainedChoice(string? given, string backbone) => given switch
    {
        null => backbone == BackboneNames.ResNet18Cntk ? ImageNetResNet18.Name : null,
        _ when given.Equals("none", StringComparison.OrdinalIgnoreCase) => null,
        _ => given,
    };

    private static DeviceChoice ParseDevice(string value) => value.ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" => DeviceChoice.Cuda,
        _ => throw new ArgumentException($"--device '{value}': expected cpu, cuda or auto"),
    };

    private static Option<T> Opt<T>(string name, T defaultValue, string description) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };
}
