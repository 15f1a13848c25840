namespace Retrieval.Data.Emoji;

/// <summary>What one source contributed and what was left out, and why (for DATASET.md).</summary>
public sealed class SourceCounts
{
    public int Files { get; set; }
    public int SkinTone { get; set; }
    public int Unnamed { get; set; }
    public int OutsideVocabulary { get; set; }
    public int Duplicates { get; set; }

    /// <summary>Designs whose rendered image equals a design of another class from the same source (left out).</summary>
    public int Indistinct { get; set; }

    /// <summary>CLDR-named sources: names joined per table, and the names that did not join (with why).</summary>
    public Dictionary<EmojiNameJoin.Via, int> JoinedVia { get; } = [];
    public List<string> NotJoined { get; } = [];

    /// <summary>Files that could not be rendered or decoded: "file: reason".</summary>
    public List<string> Failed { get; } = [];

    /// <summary>Images written, per split.</summary>
    public Dictionary<Core.Data.DatasetSplit, int> Written { get; } = [];

    public int Joined => JoinedVia.Where(p => p.Key is not (EmojiNameJoin.Via.NotFound or EmojiNameJoin.Via.Ambiguous)).Sum(p => p.Value);
}
