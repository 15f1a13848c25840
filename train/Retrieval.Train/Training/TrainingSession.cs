using Retrieval.Train.Models;
using Retrieval.Train.Pending;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>One retrieval-train invocation: device, dataset, model and loss from the options, training, then ONNX export.</summary>
public static class TrainingSession
{
    /// <summary>Runs the whole chain; progress goes to the console (a live bar on a terminal) or, when given, as plain lines to <paramref name="log"/>.</summary>
    public static TrainingResult Run(TrainOptions options, TextWriter? log = null) =>
        log is null ? ConsoleProgress.Run(p => Run(options, p)) : Run(options, new PlainProgress(log));

    private static TrainingResult Run(TrainOptions options, ITrainingProgress progress)
    {
        if (options.Threads > 0) set_num_threads(options.Threads);
        var (device, description) = DeviceSelector.Resolve(options.Device);
        progress.Message(description);
        var (train, query, gallery) = InShopPlaceholder.Load(options.DataRoot);
        var sets = TrainingSetsBuilder.Build(train, query, gallery, options.ValidationFraction);
        progress.Message($"data: {sets.Train.Count} training images / {sets.TrainClasses} classes, {sets.Validation.Count} validation images, " +
                         $"{sets.TestQuery.Count} test queries, {sets.TestGallery?.Count ?? 0} gallery images");
        random.manual_seed(options.Seed);
        var model = EmbeddingNetwork.Create(ModelConfig.WithImageNetNormalization(options.Backbone, options.EmbeddingSize, options.ImageSize));
        if (options.PretrainedPath is not null)
        {
            PretrainedWeights.LoadBackbone(model, options.PretrainedPath);
            progress.Message($"backbone weights: {options.PretrainedPath}");
        }
        if (options.FreezeBatchNorm) model.FreezeBatchNorm();
        var loss = new MfcwmsP(sets.TrainClasses, options.EmbeddingSize);
        var result = new Trainer(options, sets, model, loss, device, progress).Train();
        return result;
    }
}
