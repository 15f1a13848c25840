using System.Text;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Field checks done before any work: k and ef under their caps, labels and image paths short and free of control
/// characters, image paths relative names that cannot leave the data root. Each refusal names the field and the limit.
/// </summary>
public static class RequestChecks
{
    /// <summary>k in 1..MaxK, ef in 0..MaxEf, a finite score threshold.</summary>
    public static void Query(SearchQuery query, RequestLimits limits)
    {
        if (query.K <= 0) throw Invalid($"options.k must be > 0, got {query.K}.");
        if (query.K > limits.MaxK)
            throw Invalid($"options.k {query.K} is above the limit of {limits.MaxK} ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxK))}).");
        if (query.Ef < 0) throw Invalid($"options.ef must be >= 0, got {query.Ef}.");
        if (query.Ef > limits.MaxEf)
            throw Invalid($"options.ef {query.Ef} is above the limit of {limits.MaxEf} ({ServerOptions.LimitSetting(nameof(RequestLimits.MaxEf))}).");
        if (query.ScoreThreshold is { } t && !float.IsFinite(t)) throw Invalid("options.score_threshold must be finite.");
    }

    /// <summary>A non-blank label of at most MaxLabelBytes UTF-8 bytes with no control character.</summary>
    public static void Label(string label, string field, RequestLimits limits)
    {
        if (string.IsNullOrWhiteSpace(label)) throw Invalid($"{field} is empty.");
        Text(label, field, limits.MaxLabelBytes, nameof(RequestLimits.MaxLabelBytes));
    }

    /// <summary>
    /// An item image path: empty (none), or a relative name under the data root — not rooted, no '..' segment, at most
    /// MaxPathBytes UTF-8 bytes, no control character.
    /// </summary>
    public static void ImagePath(string path, string field, RequestLimits limits)
    {
        if (path.Length == 0) return;
        Text(path, field, limits.MaxPathBytes, nameof(RequestLimits.MaxPathBytes));
        if (ImagePaths.Problem(path) is { } problem) throw Invalid($"{field} '{path}' {problem}.");
    }

    private static void Text(string value, string field, int maxBytes, string limit)
    {
        int bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > maxBytes)
            throw Invalid($"{field} is {bytes} bytes, above the limit of {maxBytes} ({ServerOptions.LimitSetting(limit)}).");
        int bad = value.AsSpan().IndexOfAny(ControlCharacters);
        if (bad < 0) bad = value.AsSpan().IndexOfAnyInRange('\u0080', '\u009f');
        if (bad >= 0) throw Invalid($"{field} holds the control character U+{(int)value[bad]:X4} at position {bad}.");
    }

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f\u2028\u2029");

    private static RequestException Invalid(string message) => new(RequestError.InvalidArgument, message);
}
