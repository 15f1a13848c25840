using Retrieval.Train.Pending;
using static TorchSharp.torch;

namespace Retrieval.Train.Training;

/// <summary>One retrieval-train invocation: device, dataset, model and loss from the options, training, then ONNX export.</summary>
public static class TrainingSession
{
    public static TrainingResult Run(TrainOptions options)
    {
        if (options.Threads > 0) set_num_threads(options.Threads);
        var (device, description) = DeviceSelector.Resolve(options.Device);
        Console.WriteLine(description);
        var (train, query, gallery) = InShopPlaceholder.Load(options.DataRoot);
        var sets = TrainingSetsBuilder.Build(train, query, gallery, options.ValidationFraction);
        Console.WriteLine($"data: {sets.Train.Count} training images / {sets.TrainClasses} classes, {sets.Validation.Count} validation images, " +
                          $"{sets.TestQuery.Count} test queries, {sets.TestGallery?.Count ?? 0} gallery images");
        random.manual_seed(options.Seed);
        var model = new SmallResNetP(options.EmbeddingSize);
        var loss = new MfcwmsP(sets.TrainClasses, options.EmbeddingSize);
        return ConsoleProgress.Run(progress => new Trainer(options, sets, model, loss, device, progress).Train());
    }
}
