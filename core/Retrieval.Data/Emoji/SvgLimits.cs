namespace Retrieval.Data.Emoji;

/// <summary>
/// The size and complexity guard every SVG passes before it is rendered. The defaults are about ten times the largest
/// design in the sources (Fluent's biggest file is 0.3 MB with a few thousand elements), so real designs pass and a
/// hostile or broken file is refused before it costs much.
/// </summary>
/// <param name="MaxBytes">Largest file read.</param>
/// <param name="MaxElements">Most XML elements.</param>
/// <param name="MaxDrawOperations">Most drawing operations in the recorded picture.</param>
public sealed record SvgLimits(int MaxBytes = 4 << 20, int MaxElements = 50_000, int MaxDrawOperations = 200_000)
{
    public static SvgLimits Default { get; } = new();
}
