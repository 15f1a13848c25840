namespace Retrieval.Bench;

/// <summary>What `retrieval-bench train` measures: network, batch (C x m at S px), classes, steps, rounds, threads, the PyTorch side, optional data set.</summary>
public sealed record TrainSpeedSettings(string Backbone, int ImageSize, int ClassesPerBatch, int ImagesPerClass, int NumClasses,
    int Steps, int Rounds, int Threads, string Python, string Script, string? Data)
{
    public int BatchSize => ClassesPerBatch * ImagesPerClass;

    /// <summary>The arguments train_step.py takes for these settings.</summary>
    public IEnumerable<string> ScriptArguments() =>
    [
        "--backbone", Backbone, "--image-size", $"{ImageSize}", "--classes-per-batch", $"{ClassesPerBatch}", "--images-per-class", $"{ImagesPerClass}",
        "--num-classes", $"{NumClasses}", "--steps", $"{Steps}", "--threads", $"{Threads}",
    ];
}
