namespace Retrieval.Data.Emoji;

/// <summary>One drawing of one emoji: its class key, which source (index into the source list) and its file.</summary>
public sealed record EmojiDesign(string Key, int Source, string Path);
