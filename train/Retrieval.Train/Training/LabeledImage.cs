namespace Retrieval.Train.Training;

/// <summary>An image file and its class index within one of the trainer's sets.</summary>
public sealed record LabeledImage(string Path, int Label);
