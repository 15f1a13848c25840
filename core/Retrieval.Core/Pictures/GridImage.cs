namespace Retrieval.Core.Pictures;

/// <summary>An image file shown in a retrieval grid, with its class label.</summary>
public sealed record GridImage(string Path, string Label);
