using Retrieval.Core.Imaging;

namespace Retrieval.Train.Data;

/// <summary>
/// Decoded images by item index. Each image is decoded on first use (on the prefetch threads) and kept
/// in memory while the decoded pixels fit in the cache budget, so small sets are decoded once and later
/// epochs augment straight from the cache. Thread-safe.
/// </summary>
public sealed class ImageStore
{
    private readonly IReadOnlyList<string> _paths;
    private readonly RgbImage?[] _cache;
    private readonly long _budgetBytes;
    private long _cachedBytes;

    public ImageStore(IReadOnlyList<string> paths, long cacheBudgetBytes)
    {
        _paths = paths;
        _cache = new RgbImage?[paths.Count];
        _budgetBytes = cacheBudgetBytes;
    }

    public int Count => _paths.Count;

    /// <summary>Bytes of decoded pixels held in the cache.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>The decoded image of item <paramref name="index"/>.</summary>
    public RgbImage Get(int index)
    {
        var cached = Volatile.Read(ref _cache[index]);
        if (cached is not null) return cached;
        var image = ImageDecoder.DecodeFile(_paths[index]);
        long size = (long)image.Width * image.Height * 3;
        if (Interlocked.Add(ref _cachedBytes, size) <= _budgetBytes)
            Volatile.Write(ref _cache[index], image);
        else
            Interlocked.Add(ref _cachedBytes, -size);
        return image;
    }
}
