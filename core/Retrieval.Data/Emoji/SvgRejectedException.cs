namespace Retrieval.Data.Emoji;

/// <summary>An SVG that is malformed, over a <see cref="SvgLimits"/> bound, refers outside itself, or renders nothing.</summary>
public sealed class SvgRejectedException(string reason, Exception? inner = null) : Exception(reason, inner);
