using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

public sealed class EmojiNameJoinTests : TempTreeTest
{
    /// <summary>A vocabulary from generated emoji-datasource and OpenMoji metadata in their real shapes.</summary>
    internal static EmojiVocabulary Vocabulary(TempTree tree)
    {
        string datasource = tree.Write("meta/emoji.json", "\n", """
            [
              {"name": "GRINNING FACE", "unified": "1F600", "short_names": ["grinning"]},
              {"name": "GRINNING FACE WITH SMILING EYES", "unified": "1F601", "short_names": ["grin"]},
              {"name": "SMILING FACE WITH OPEN MOUTH AND SMILING EYES", "unified": "1F604", "short_names": ["smile"]},
              {"name": "CAT", "unified": "1F408", "short_names": ["cat2"]},
              {"name": "CAT FACE", "unified": "1F431", "short_names": ["cat"]},
              {"name": "THUMBS UP SIGN", "unified": "1F44D", "short_names": ["+1", "thumbsup"]},
              {"name": "HEAVY BLACK HEART", "unified": "2764-FE0F", "short_names": ["heart"]},
              {"name": "PINATA", "unified": "1FA85", "short_names": ["pinata"]},
              {"name": "WOMAN TECHNOLOGIST", "unified": "1F469-200D-1F4BB", "short_names": ["female-technologist"]},
              {"name": "FACE WITH TEARS OF JOY", "unified": "1F602", "short_names": ["joy"]}
            ]
            """);
        string openmoji = tree.Write("meta/openmoji.json", "\n", """
            [
              {"hexcode": "1F600", "annotation": "grinning face", "skintone": ""},
              {"hexcode": "1F601", "annotation": "beaming face with smiling eyes", "skintone": ""},
              {"hexcode": "1F604", "annotation": "grinning face with smiling eyes", "skintone": ""},
              {"hexcode": "1F408", "annotation": "cat", "skintone": ""},
              {"hexcode": "1F44D", "annotation": "thumbs up", "skintone": ""},
              {"hexcode": "1F44D-1F3FB", "annotation": "thumbs up: light skin tone", "skintone": 1},
              {"hexcode": "E001", "annotation": "cat", "skintone": ""},
              {"hexcode": "2764-FE0F", "annotation": "red heart", "skintone": ""},
              {"hexcode": "1FA85", "annotation": "piñata", "skintone": ""},
              {"hexcode": "1F469-200D-1F4BB", "annotation": "woman technologist", "skintone": ""}
            ]
            """);
        return EmojiVocabulary.Load(datasource, openmoji);
    }

    [Theory]
    [InlineData("grinning-face", "1F600", EmojiNameJoin.Via.Cldr)]
    [InlineData("grinning-face-with-smiling-eyes", "1F604", EmojiNameJoin.Via.Cldr)]   // CLDR, not Unicode's 1F601
    [InlineData("beaming-face-with-smiling-eyes", "1F601", EmojiNameJoin.Via.Cldr)]
    [InlineData("cat", "1F408", EmojiNameJoin.Via.Cldr)]           // not the short name "cat" (1F431), not OpenMoji's private-use E001
    [InlineData("cat-face", "1F431", EmojiNameJoin.Via.UnicodeName)]
    [InlineData("joy", "1F602", EmojiNameJoin.Via.ShortName)]
    [InlineData("red-heart", "2764", EmojiNameJoin.Via.Cldr)]      // FE0F removed from the key
    [InlineData("pinata", "1FA85", EmojiNameJoin.Via.Cldr)]        // "piñata" folded
    [InlineData("woman-technologist", "1F469-200D-1F4BB", EmojiNameJoin.Via.Cldr)]
    [InlineData("phoenix-bird", null, EmojiNameJoin.Via.NotFound)]
    public void Cldr_names_join_to_codepoints_in_table_order(string name, string? key, EmojiNameJoin.Via via) =>
        Assert.Equal((key, via), new EmojiNameJoin(Vocabulary(Tree)).Join(name));

    [Theory]
    [InlineData("Thumbs Up", "thumbs-up")]
    [InlineData("man’s shoe", "mans-shoe")]
    [InlineData("flag: Côte d’Ivoire", "flag-cote-divoire")]
    [InlineData("keycap: *", "keycap")]
    public void Slugs_are_lower_case_ascii_with_dashes(string name, string slug) => Assert.Equal(slug, EmojiNameJoin.Slug(name));

    [Fact]
    public void Vocabulary_holds_every_emoji_datasource_entry_and_no_skin_tone_names()
    {
        var vocabulary = Vocabulary(Tree);
        Assert.Equal(10, vocabulary.Keys.Count);
        Assert.Contains("2764", vocabulary.Keys);
        Assert.DoesNotContain("thumbs-up-light-skin-tone", vocabulary.CldrNames.Keys);
    }

    [Fact]
    public void Broken_metadata_is_an_error_naming_the_file()
    {
        string bad = Tree.Write("meta/bad.json", "\n", "{not json");
        Assert.Contains(bad, Assert.Throws<InvalidDataException>(() => EmojiVocabulary.Load(bad, null)).Message);
        Assert.Throws<FileNotFoundException>(() => EmojiVocabulary.Load(Path.Combine(Tree.Root, "missing.json"), null));
    }
}
