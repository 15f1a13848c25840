namespace Retrieval.Serve.Gallery;

/// <summary>
/// Limits on item attributes and search filters, checked before anything is stored: at most
/// <see cref="MaxAttributes"/> attributes per item (and per filter), keys of 1..<see cref="MaxKeyLength"/> characters,
/// values of at most <see cref="MaxValueLength"/>, at most <see cref="MaxFilterLabels"/> labels in a filter, and no control
/// characters anywhere.
/// </summary>
public static class GalleryAttributes
{
    /// <summary>Most attributes on one item or in one filter.</summary>
    public const int MaxAttributes = 32;

    /// <summary>Longest attribute key.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>Longest attribute value (and filter label).</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Most labels one filter may allow.</summary>
    public const int MaxFilterLabels = 256;

    /// <summary>Throws <see cref="GalleryException"/> (INVALID_ARGUMENT) naming <paramref name="field"/> when the attributes break a limit.</summary>
    public static void Validate(IReadOnlyDictionary<string, string> attributes, string field)
    {
        if (attributes.Count > MaxAttributes) throw Invalid($"{field} has {attributes.Count} attributes, at most {MaxAttributes} are allowed.");
        foreach (var (key, value) in attributes)
        {
            if (key.Length is 0 or > MaxKeyLength) throw Invalid($"{field}: attribute key '{Cut(key)}' must have 1..{MaxKeyLength} characters.");
            if (value.Length > MaxValueLength) throw Invalid($"{field}: attribute '{Cut(key)}' is longer than {MaxValueLength} characters.");
            if (HasControl(key) || HasControl(value)) throw Invalid($"{field}: attribute '{Cut(key)}' contains a control character.");
        }
    }

    /// <summary>Throws <see cref="GalleryException"/> naming <paramref name="field"/> when a filter's labels break a limit.</summary>
    public static void ValidateLabels(IReadOnlyCollection<string> labels, string field)
    {
        if (labels.Count > MaxFilterLabels) throw Invalid($"{field} lists {labels.Count} labels, at most {MaxFilterLabels} are allowed.");
        foreach (var label in labels)
            if (label.Length > MaxValueLength || HasControl(label)) throw Invalid($"{field}: label '{Cut(label)}' is longer than {MaxValueLength} characters or contains a control character.");
    }

    private static bool HasControl(string s) => s.Any(char.IsControl);

    private static string Cut(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static GalleryException Invalid(string message) => new(GalleryError.InvalidArgument, message);
}
