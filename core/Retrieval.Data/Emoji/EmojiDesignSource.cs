namespace Retrieval.Data.Emoji;

/// <summary>How a source names its files.</summary>
public enum EmojiNaming
{
    /// <summary>By codepoint sequence ("1f469-200d-1f4bb.png"), read with <see cref="EmojiKey.FromFileName"/>.</summary>
    Codepoints,

    /// <summary>By CLDR short name ("grinning-face.svg", skin tones as "-default"/"-light"...), joined with <see cref="EmojiNameJoin"/>.</summary>
    CldrNames,
}

/// <summary>
/// One design of the emoji set: a folder of drawings (PNG or SVG) by one designer in one style, how its files are
/// named, and the licence line DATASET.md carries for it.
/// </summary>
/// <param name="Name">Short name, used as the image file name inside a class folder (img/&lt;key&gt;/&lt;name&gt;.png).</param>
/// <param name="Folder">Where its files are.</param>
/// <param name="Extension">"png" or "svg".</param>
/// <param name="Naming">Codepoint or CLDR-name file names.</param>
/// <param name="Attribution">Licence and attribution line.</param>
public sealed record EmojiDesignSource(string Name, string Folder, string Extension, EmojiNaming Naming, string Attribution)
{
    public bool IsSvg => Extension == "svg";
}
