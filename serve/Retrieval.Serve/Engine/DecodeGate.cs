using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Bounds the images being decoded and preprocessed at once in the whole server (a 40 MP image needs ~300 MB while it
/// is decoded): callers past the bound wait their turn, still subject to their deadline. Errors name the field.
/// </summary>
public sealed class DecodeGate(RequestLimits limits)
{
    // A decode that allocated this much (a ~20 MP image) leaves its pixels as large-object garbage; collecting it right
    // away keeps the resident set near "slots x one image" instead of "slots x one image + everything since the last GC".
    private const long HugeDecodeBytes = 64L << 20;
    private readonly SemaphoreSlim _slots = new(limits.DecodeConcurrency, limits.DecodeConcurrency);

    /// <summary>Decodes and preprocesses <paramref name="image"/> for <paramref name="model"/> once a slot is free.</summary>
    public async Task<float[]> PreprocessAsync(IEmbeddingModel model, byte[] image, string field, CancellationToken cancellationToken)
    {
        if (image.Length == 0) throw new RequestException(RequestError.InvalidArgument, $"{field}: is empty (0 bytes).");
        try
        {
            return await RunAsync(() => model.Preprocess(image, limits.Image), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestException e)
        {
            throw new RequestException(e.Error, $"{field}: {e.Message}");
        }
    }

    /// <summary>Runs any image decode (the search page's thumbnails too) in one of the same slots, so every decode counts against one bound.</summary>
    public async Task<T> RunAsync<T>(Func<T> decode, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            var result = decode();
            if (GC.GetAllocatedBytesForCurrentThread() - allocated > HugeDecodeBytes)
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
            return result;
        }
        finally
        {
            _slots.Release();
        }
    }
}
