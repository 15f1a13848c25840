using Microsoft.Extensions.Logging.Abstractions;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;
using Retrieval.Serve.Tests.Fakes;

namespace Retrieval.Serve.Tests.Engine;

/// <summary>At reload, an item whose image path is not a readable regular file inside the data root is skipped and counted, never fatal.</summary>
public sealed class GalleryImageReaderTests : TempDirectoryTest
{

    [Fact]
    public async Task BadPathsAreSkippedAndCountedAndNothingOutsideTheRootIsRead()
    {
        var data = Path.Combine(Dir, "data");
        Directory.CreateDirectory(Path.Combine(data, "img"));
        var good = FakeImage.Vector(1, 4);
        File.WriteAllBytes(Path.Combine(data, "img", "good.fake"), FakeImage.Encode(good));
        File.CreateSymbolicLink(Path.Combine(data, "img", "zero.fake"), "/dev/zero");
        var outside = Path.Combine(Dir, "outside.fake");
        File.WriteAllBytes(outside, FakeImage.Encode(FakeImage.Vector(2, 4)));
        GallerySource[] sources =
        [
            new(1, "a", "img/good.fake"),
            new(2, "a", "img/zero.fake"),         // a device behind a link inside the root
            new(3, "a", outside),                 // absolute
            new(4, "a", "../outside.fake"),       // climbs out
            new(5, "a", "img/\0.fake"),           // NUL
            new(6, "a", "img/missing.fake"),
            new(7, "a", ""),                      // upserted without a path
        ];
        var read = new List<byte[]>();
        var embedder = GalleryImageReader.Embedder(data, maxFileBytes: 1 << 20, (bytes, _, _) =>
        {
            lock (read) read.Add(bytes);
            return Task.FromResult(FakeImage.Decode(bytes)!.Value.Vector);
        }, skipUnreadable: true);
        var (items, skipped) = await GalleryBuilder.EmbedAsync(sources, embedder, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(1, Assert.Single(items).Id);
        Assert.Equal(6, skipped);
        Assert.Equal(good, FakeImage.Decode(Assert.Single(read))!.Value.Vector);
    }
}
