namespace Retrieval.Data.Emoji;

/// <summary>
/// A buildable emoji data set: its name, its design sources in a fixed order (the order of designs within a class and
/// of the query rotation), the vocabulary that defines which emoji can be classes (null: any codepoint key, as the
/// three-design set was built), whether designs identical to another class's design are left out, and the
/// attribution lines of the metadata it used.
/// </summary>
public sealed record EmojiSet(string Name, string Title, IReadOnlyList<EmojiDesignSource> Sources, EmojiVocabulary? Vocabulary,
    bool DropIndistinct, IReadOnlyList<string> MetadataAttributions);
