namespace Retrieval.Data.Building;

/// <summary>One designer's emoji set: a folder of PNGs named by codepoint sequence, with its licence line for DATASET.md.</summary>
public sealed record EmojiSource(string Designer, string PngDirectory, string Attribution);
