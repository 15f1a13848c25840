namespace Retrieval.Core.Data;

/// <summary>One image of a data set: path relative to the image root (forward slashes), class label and split.</summary>
public sealed record DatasetItem(string RelativePath, string Label, DatasetSplit Split);
