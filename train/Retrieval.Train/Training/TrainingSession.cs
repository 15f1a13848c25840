using System.Globalization;
using Retrieval.CommandLine;
using Retrieval.Core.Data;
using TorchSharp;
using Retrieval.Train.Export;
using Retrieval.Train.Losses;
using Retrieval.Train.Models;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>One retrieval-train invocation: device, dataset, model and loss from the options, training, then ONNX export of the best model.</summary>
public static class TrainingSession
{
    /// <summary>Runs the whole chain; progress goes to the console (a live line on a terminal) or, when given, as plain lines to <paramref name="log"/>.</summary>
    public static TrainingResult Run(TrainOptions options, TextWriter? log = null) =>
        Run(options, new TrainingProgress(log is null ? ConsoleProgress.ForConsole() : ConsoleProgress.Plain(log)));

    private static TrainingResult Run(TrainOptions options, ITrainingProgress progress)
    {
        // The thread count splits libtorch's reductions, so it is part of what makes a run repeat: resolve and record it.
        if (options.Threads > 0) set_num_threads(options.Threads);
        options = options with { Threads = get_num_threads() };
        var (device, description) = DeviceSelector.Resolve(options.Device);
        progress.Message($"{description}; libtorch threads: {options.Threads}");
        var dataset = DatasetLoader.Load(options.DataRoot);
        MissingImages.Find(dataset).ThrowIfAny();
        var sets = TrainingSetsBuilder.FromDataset(dataset, options.ValidationFraction);
        progress.Message($"data: {sets.Train.Count} training images / {sets.TrainClasses} classes, {sets.Validation.Count} validation images, " +
                         $"{sets.TestQuery.Count} test queries, {sets.TestGallery?.Count ?? 0} gallery images");

        random.manual_seed(options.Seed);
        // TorchSharp 0.107 does not implement use_deterministic_algorithms: on a GPU, kernels that accumulate with
        // atomics (index_add, scatter_add in the losses' backward) may differ in the last bits between runs.
        if (device.type == DeviceType.CUDA) cuda.manual_seed_all(options.Seed);
        var model = NetworkBuilder.Build(options, progress.Message);
        var loss = options.Loss.Create(sets.TrainClasses, options.EmbeddingSize);

        var trainer = new Trainer(options, sets, model, loss, device, progress);
        var result = trainer.Train();

        // Train() leaves the best checkpoint's weights in the model.
        model.to(CPU);
        var validation = result.BestValidation;
        OnnxExporter.Export(model, trainer.Run.Onnx, new ModelExportInfo(
            options.EvalResize, options.Loss.Name, dataset.Name,
            new Dictionary<string, double>
            {
                ["precision_at_1"] = validation.PrecisionAt1,
                ["r_precision"] = validation.RPrecision,
                ["map_at_r"] = validation.MapAtR,
            }));
        progress.Message(string.Create(CultureInfo.InvariantCulture, $"exported {trainer.Run.Onnx} (best epoch {result.BestEpoch})"));
        return result;
    }
}
