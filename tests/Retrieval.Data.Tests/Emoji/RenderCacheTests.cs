using Retrieval.Data.Emoji;

namespace Retrieval.Data.Tests.Emoji;

public sealed class RenderCacheTests : TempTreeTest
{
    [Fact]
    public void Entries_round_trip_and_other_settings_start_empty()
    {
        string path = Path.Combine(Tree.Root, "pack.bin");
        var cache = RenderCache.Open(path, "64px v1", TextWriter.Null);
        cache.Put("AA", new RenderResult([1, 2, 3], null));
        cache.Put("BB", new RenderResult(null, "malformed XML"));
        cache.Save();

        var again = RenderCache.Open(path, "64px v1", TextWriter.Null);
        Assert.True(again.TryGet("AA", out var ok));
        Assert.Equal([1, 2, 3], ok.Png);
        Assert.True(again.TryGet("BB", out var failed));
        Assert.Equal((null, "malformed XML"), (failed.Png, failed.Error));
        Assert.Equal(0, RenderCache.Open(path, "128px v1", TextWriter.Null).Count);
    }

    [Fact]
    public void A_truncated_pack_is_reported_and_ignored()
    {
        string path = Path.Combine(Tree.Root, "pack.bin");
        var cache = RenderCache.Open(path, "t", TextWriter.Null);
        cache.Put("AA", new RenderResult([9], null));
        cache.Save();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^5]);
        var log = new StringWriter();
        Assert.Equal(0, RenderCache.Open(path, "t", log).Count);
        Assert.Contains(path, log.ToString());
    }
}
