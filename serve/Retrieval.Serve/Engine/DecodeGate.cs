using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Engine;

/// <summary>
/// Bounds the images being decoded and preprocessed at once in the whole server (a 40 MP image needs ~300 MB while it
/// is decoded): callers past the bound wait their turn, still subject to their deadline. Errors name the field.
/// </summary>
public sealed class DecodeGate(RequestLimits limits)
{
    private readonly SemaphoreSlim _slots = new(limits.DecodeConcurrency, limits.DecodeConcurrency);

    /// <summary>Decodes and preprocesses <paramref name="image"/> for <paramref name="model"/> once a slot is free.</summary>
    public async Task<float[]> PreprocessAsync(IEmbeddingModel model, byte[] image, string field, CancellationToken cancellationToken)
    {
        if (image.Length == 0) throw new RequestException(RequestError.InvalidArgument, $"{field}: is empty (0 bytes).");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return model.Preprocess(image, limits.Image);
        }
        catch (RequestException e)
        {
            throw new RequestException(e.Error, $"{field}: {e.Message}");
        }
        finally
        {
            _slots.Release();
        }
    }
}
