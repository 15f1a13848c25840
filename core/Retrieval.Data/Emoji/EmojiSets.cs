namespace Retrieval.Data.Emoji;

/// <summary>The emoji sets `make data` builds, with the source folders inside the scripts/fetch-data.sh cache.</summary>
public static class EmojiSets
{
    public const string OpenMoji = "openmoji-17.0.0", Fluent = "fluentui-emoji-1.3.0";
    private const string Google = "emoji-datasource-google-16.0.0", Twitter = "emoji-datasource-twitter-16.0.0";

    /// <summary>Google, Twitter and EmojiOne PNGs: the set earlier numbers were measured on (DATASET=emoji3).</summary>
    public static EmojiSet ThreeDesigns(string cache) =>
        new(ProjectDatasets.Emoji3, "emoji3 — the three-design emoji set (Google, Twitter, EmojiOne)", PngSources(cache), null, DropIndistinct: false, []);

    /// <summary>Every openly licensed design reachable here: the three PNG sets, OpenMoji colour and line art, Fluent's three styles.</summary>
    public static EmojiSet AllDesigns(string cache)
    {
        string openMoji = Path.Combine(cache, OpenMoji), fluent = Path.Combine(cache, Fluent, "icons");
        const string openMojiLicence = "OpenMoji 17.0 — the open-source emoji and icon project (HfG Schwäbisch Gmünd), CC-BY-SA 4.0 " +
                                       "(via npm openmoji 17.0.0); all emojis designed by OpenMoji";
        const string fluentLicence = "Microsoft Fluent Emoji, Copyright (c) Microsoft Corporation, MIT licence (via npm fluentui-emoji 1.3.0, " +
                                     "Copyright (c) 2022 Mohammad Abu Mattar, MIT)";
        var vocabulary = EmojiVocabulary.Load(Path.Combine(cache, Google, "emoji.json"), Path.Combine(openMoji, "data", "openmoji.json"));
        return new(ProjectDatasets.Emoji, "emoji — every openly licensed emoji design, up to eight per class",
        [
            .. PngSources(cache),
            new("openmoji-color", Path.Combine(openMoji, "color", "svg"), "svg", EmojiNaming.Codepoints, openMojiLicence + " (colour)"),
            new("openmoji-black", Path.Combine(openMoji, "black", "svg"), "svg", EmojiNaming.Codepoints, openMojiLicence + " (black line art)"),
            new("fluent-modern", Path.Combine(fluent, "modern"), "svg", EmojiNaming.CldrNames, fluentLicence + " (modern)"),
            new("fluent-flat", Path.Combine(fluent, "flat"), "svg", EmojiNaming.CldrNames, fluentLicence + " (flat)"),
            new("fluent-high-contrast", Path.Combine(fluent, "high-contrast"), "svg", EmojiNaming.CldrNames, fluentLicence + " (high contrast)"),
        ], vocabulary, DropIndistinct: true,
        [
            "Emoji list, Unicode names and short names: emoji-datasource 16.0.0 (iamcal/emoji-data), MIT licence.",
            "CLDR short names: OpenMoji's data/openmoji.json (annotations from Unicode CLDR, Unicode License v3; OpenMoji data CC-BY-SA 4.0).",
        ]);
    }

    private static List<EmojiDesignSource> PngSources(string cache)
    {
        string gems = Path.Combine(cache, "ruby-gemojione", "usr", "share", "rubygems-integration", "all", "gems");
        string emojione = Directory.Exists(gems)
            ? Directory.EnumerateDirectories(gems, "gemojione-*").Order(StringComparer.Ordinal).LastOrDefault() ?? gems
            : gems;
        return
        [
            new("google", Path.Combine(cache, Google, "img", "google", "64"), "png", EmojiNaming.Codepoints,
                "Noto Emoji by Google, Apache License 2.0 (via npm emoji-datasource-google 16.0.0)"),
            new("twitter", Path.Combine(cache, Twitter, "img", "twitter", "64"), "png", EmojiNaming.Codepoints,
                "Twemoji by Twitter, Inc. and other contributors, CC-BY 4.0 (via npm emoji-datasource-twitter 16.0.0)"),
            new("emojione", Path.Combine(emojione, "assets", "png"), "png", EmojiNaming.Codepoints,
                "EmojiOne 3 by Ranks.com Inc., CC-BY-SA 4.0 (via Debian ruby-gemojione)"),
        ];
    }
}
