namespace Retrieval.Data.Emoji;

/// <summary>A rendered design: the PNG bytes, or why it could not be rendered.</summary>
public sealed record RenderResult(byte[]? Png, string? Error);
