namespace Retrieval.Data.Emoji;

/// <summary>
/// Lists every usable design file of every source under its class key: codepoint names read directly, CLDR names
/// joined through <see cref="EmojiNameJoin"/>; skin-tone variants, names that are not emoji and emoji outside the
/// vocabulary are left out and counted. A source that spells one emoji twice (with and without FE0F) counts once: the
/// first file in ordinal order.
/// </summary>
public static class EmojiCatalog
{
    private static readonly string[] FluentTones = ["-medium-light", "-medium-dark", "-light", "-medium", "-dark"];

    public static (List<EmojiDesign> Designs, SourceCounts[] Counts) Collect(IReadOnlyList<EmojiDesignSource> sources, EmojiVocabulary? vocabulary)
    {
        var designs = new List<EmojiDesign>();
        var counts = sources.Select(_ => new SourceCounts()).ToArray();
        var join = vocabulary is null ? null : new EmojiNameJoin(vocabulary);
        for (int s = 0; s < sources.Count; s++)
        {
            var source = sources[s];
            if (!Directory.Exists(source.Folder))
                throw new DirectoryNotFoundException($"{source.Name}: folder '{source.Folder}' not found (run scripts/fetch-data.sh)");
            var files = Directory.EnumerateFiles(source.Folder, "*." + source.Extension).Order(StringComparer.Ordinal).ToList();
            var stems = files.Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var c = counts[s];
            foreach (string file in files)
            {
                c.Files++;
                string? key = source.Naming == EmojiNaming.Codepoints ? EmojiKey.FromFileName(file) : JoinName(Path.GetFileNameWithoutExtension(file), stems, join, c);
                if (key is null)
                {
                    if (source.Naming == EmojiNaming.Codepoints) c.Unnamed++;
                    continue;
                }
                if (EmojiKey.HasSkinTone(key)) { c.SkinTone++; continue; }
                if (vocabulary is not null && !vocabulary.Keys.Contains(key)) { c.OutsideVocabulary++; continue; }
                if (!seen.Add(key)) { c.Duplicates++; continue; }
                designs.Add(new EmojiDesign(key, s, file));
            }
        }
        return (designs, counts);
    }

    /// <summary>The key of a CLDR-named file, or null (skin-tone variant or not joined, counted).</summary>
    private static string? JoinName(string stem, HashSet<string> stems, EmojiNameJoin? join, SourceCounts c)
    {
        if (join is null)
            throw new InvalidOperationException("a CLDR-named source needs the emoji vocabulary to join its names");
        string name = stem;
        if (stem.EndsWith("-default", StringComparison.Ordinal))
            name = stem[..^"-default".Length];   // the base design of an emoji that has skin tones
        else if (FluentTones.Any(t => stem.EndsWith(t, StringComparison.Ordinal) && stems.Contains(stem[..^t.Length] + "-default")))
        {
            c.SkinTone++;
            return null;
        }
        var (key, via) = join.Join(name);
        c.JoinedVia[via] = c.JoinedVia.GetValueOrDefault(via) + 1;
        if (key is null)
            c.NotJoined.Add($"{stem} ({(via == EmojiNameJoin.Via.Ambiguous ? "several emoji have this name" : "no emoji has this name")})");
        return key;
    }
}
