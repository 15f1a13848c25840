using System.Globalization;
using Retrieval.Core.Data;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Normalised emoji identity used to join designers: the codepoint sequence of a file name such as
/// "1f469-200d-1f4bb" or "0023-FE0F-20E3", as uppercase hex (at least 4 digits) joined by '-', with the
/// variation selectors FE0F/FE0E removed (sets differ on whether they spell them).
/// </summary>
public static class EmojiKey
{
    /// <summary>The key of a file name (extension ignored), or null when the name is not a codepoint sequence.</summary>
    public static string? FromFileName(string fileName)
    {
        string stem = Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('-', '_');
        var codepoints = new List<int>(parts.Length);
        foreach (string part in parts)
        {
            if (part.Length is < 1 or > 6 || !int.TryParse(part, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int cp)
                || cp > 0x10FFFF)
                return null;
            if (cp is 0xFE0F or 0xFE0E)
                continue;
            codepoints.Add(cp);
        }
        return codepoints.Count == 0 ? null : string.Join('-', codepoints.Select(c => c.ToString("X4", CultureInfo.InvariantCulture)));
    }

    /// <summary>True when a multi-codepoint key carries a Fitzpatrick skin-tone modifier (U+1F3FB..U+1F3FF).</summary>
    public static bool HasSkinTone(string key)
    {
        var codepoints = key.Split('-');
        return codepoints.Length > 1 && codepoints.Any(c => int.Parse(c, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) is >= 0x1F3FB and <= 0x1F3FF);
    }
}
