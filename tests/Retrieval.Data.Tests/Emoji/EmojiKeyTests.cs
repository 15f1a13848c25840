using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

public sealed class EmojiKeyTests
{
    [Theory]
    [InlineData("1f600.png", "1F600")]
    [InlineData("1F600.png", "1F600")]
    [InlineData("0023-fe0f-20e3.png", "0023-20E3")]
    [InlineData("23-20E3.png", "0023-20E3")]
    [InlineData("2764-FE0F.png", "2764")]
    [InlineData("1f468-200d-1f469-200d-1f467.png", "1F468-200D-1F469-200D-1F467")]
    [InlineData("not-an-emoji.png", null)]
    [InlineData("110000.png", null)]
    [InlineData("fe0f.png", null)]
    public void File_names_normalise_to_codepoint_keys(string name, string? key) => Assert.Equal(key, EmojiKey.FromFileName(name));

    [Theory]
    [InlineData("1F44D-1F3FB", true)]
    [InlineData("1F469-1F3FF-200D-1F4BB", true)]
    [InlineData("1F3FB", false)] // the modifier's own swatch is an emoji in its own right
    [InlineData("1F44D", false)]
    public void Skin_tone_sequences_are_detected(string key, bool skin) => Assert.Equal(skin, EmojiKey.HasSkinTone(key));
}
