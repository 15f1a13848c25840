using System.Text;

namespace Retrieval.Data.Emoji;

/// <summary>
/// Joins CLDR-named files (Fluent's "grinning-face.svg") to emoji keys. The name is matched as a slug against, in
/// order: CLDR short names, Unicode names, then emoji-datasource short names, each restricted to the emoji of the
/// <see cref="EmojiVocabulary"/>; the first table with exactly one candidate wins. CLDR comes first because the file
/// names are CLDR names and the other tables disagree with them in places (emoji-datasource's short name "cat" is
/// U+1F431 CAT FACE, CLDR "cat" is U+1F408; Unicode's "GRINNING FACE WITH SMILING EYES" is U+1F601, CLDR's is U+1F604).
/// </summary>
public sealed class EmojiNameJoin(EmojiVocabulary vocabulary)
{
    /// <summary>The table that joined a name, or why it did not join.</summary>
    public enum Via { Cldr, UnicodeName, ShortName, NotFound, Ambiguous }

    /// <summary>The key of a CLDR-slug name and how it was found (key null when it was not).</summary>
    public (string? Key, Via Via) Join(string name)
    {
        string slug = Slug(name);
        foreach (var (table, via) in new[] { (vocabulary.CldrNames, Via.Cldr), (vocabulary.UnicodeNames, Via.UnicodeName), (vocabulary.ShortNames, Via.ShortName) })
        {
            if (!table.TryGetValue(slug, out var keys))
                continue;
            var known = keys.Where(vocabulary.Keys.Contains).ToList();
            if (known.Count == 1)
                return (known[0], via);
            if (known.Count > 1)
                return (null, Via.Ambiguous);
        }
        return (null, Via.NotFound);
    }

    /// <summary>Lower-case ASCII letters and digits, other runs as '-' (apostrophes dropped, common accents folded).</summary>
    public static string Slug(string name)
    {
        var text = new StringBuilder(name.Length);
        bool dash = false;
        foreach (char raw in name.ToLowerInvariant())
        {
            char c = Fold(raw);
            if (c is '\'' or '’')
                continue;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (dash && text.Length > 0) text.Append('-');
                text.Append(c);
                dash = false;
            }
            else
                dash = true;
        }
        return text.ToString();
    }

    private static char Fold(char c) => c switch
    {
        'á' or 'à' or 'â' or 'ä' or 'ã' or 'å' => 'a',
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'í' or 'ì' or 'î' or 'ï' => 'i',
        'ó' or 'ò' or 'ô' or 'ö' or 'õ' => 'o',
        'ú' or 'ù' or 'û' or 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        _ => c,
    };
}
