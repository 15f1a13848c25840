using Retrieval.Core.Imaging;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Inference;

/// <summary>Encoded image → model input through core's one image pipeline, with decoder refusals as request errors.</summary>
public static class ImagePreprocessor
{
    /// <summary>
    /// Decodes with <see cref="ImageDecoder"/> (limits checked on the header, EXIF orientation applied) and applies the
    /// evaluation preprocessing <paramref name="spec"/>; over a limit = RESOURCE_EXHAUSTED, undecodable = INVALID_ARGUMENT.
    /// </summary>
    public static float[] ToInput(byte[] image, ImageLimits limits, PreprocessSpec spec)
    {
        RgbImage decoded;
        try
        {
            decoded = ImageDecoder.Decode(image, limits);
        }
        catch (ImageTooLargeException e)
        {
            throw new RequestException(RequestError.ResourceExhausted, e.Message);
        }
        catch (ImageDecodeException e)
        {
            throw new RequestException(RequestError.InvalidArgument, e.Message);
        }
        return spec.ToEvalTensor(decoded);
    }
}
