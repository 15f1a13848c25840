using System.Text;
using Microsoft.Extensions.Options;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Core.IO;
using Retrieval.Core.Pictures;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;
using Retrieval.Serve.Gallery;

namespace Retrieval.Serve.Web;

/// <summary>
/// Thumbnails of gallery images for the search page. The gallery's own path rules (<see cref="InShopGallery.Resolve"/>:
/// a relative name under the data root's image folder, no '..', no absolute path), plus the real path (symbolic links
/// followed) must lie inside that folder; only regular files up to the message size cap are opened
/// (<see cref="RegularFile"/>), decoded within the image limits in the server's decode slots (<see cref="DecodeGate"/>),
/// and returned as a JPEG whose longer side is at most <see cref="Side"/> pixels.
/// </summary>
public sealed class GalleryThumbnails(IOptions<ServerOptions> options, RetrievalEngine engine)
{
    /// <summary>Longest side of a thumbnail in pixels.</summary>
    public const int Side = 256;

    private readonly ServerOptions _options = options.Value;

    /// <summary>The JPEG thumbnail of <paramref name="path"/>, or a <see cref="RequestException"/> saying why not.</summary>
    public async Task<byte[]> RenderAsync(string? path, CancellationToken cancellationToken)
    {
        var file = Resolve(path);
        var limits = _options.Limits;
        byte[] bytes;
        try
        {
            bytes = await RegularFile.ReadAllBytesAsync(file, limits.MaxReceiveBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e is not FileNotFoundException && new FileInfo(file).Length > limits.MaxReceiveBytes)
        {
            throw new RequestException(RequestError.ResourceExhausted, $"path '{path}': {e.Message} (--max-receive-bytes).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RequestException(RequestError.NotFound, $"no image '{path}' under the data root.");
        }
        try
        {
            return await engine.Decodes.RunAsync(() => ImageEncoder.EncodeJpeg(Thumbnail.Fit(ImageDecoder.Decode(bytes, limits.Image), Side), quality: 85),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ImageTooLargeException e)
        {
            throw new RequestException(RequestError.ResourceExhausted, $"path '{path}': {e.Message}.");
        }
        catch (ImageDecodeException e)
        {
            throw new RequestException(RequestError.FailedPrecondition, $"path '{path}': not a readable PNG or JPEG ({e.Message}).");
        }
    }

    /// <summary>The real path of the file <paramref name="path"/> names inside the gallery's image folder.</summary>
    private string Resolve(string? path)
    {
        if (string.IsNullOrEmpty(_options.Data))
            throw new RequestException(RequestError.FailedPrecondition, "this server has no data root (--data), so it has no gallery images to show.");
        if (string.IsNullOrEmpty(path)) throw new RequestException(RequestError.InvalidArgument, "path is missing: pass ?path=<a neighbour's imagePath>.");
        if (Encoding.UTF8.GetByteCount(path) > _options.Limits.MaxPathBytes)
            throw new RequestException(RequestError.InvalidArgument, $"path is longer than {_options.Limits.MaxPathBytes} bytes (--max-path-bytes).");
        if (path.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0) throw new RequestException(RequestError.InvalidArgument, "path holds a control character.");
        var full = InShopGallery.Resolve(_options.Data, path, out var problem)
            ?? throw new RequestException(RequestError.InvalidArgument, $"path '{path}' {problem}.");
        // The rules above are lexical and cannot see symbolic links: compare real paths (a link out of the root reads as absent).
        var root = InShopReader.ImageRoot(_options.Data);
        if (!RealPath.IsInside(root, full) || RealPath.Of(full) is not { } real)
            throw new RequestException(RequestError.NotFound, $"no image '{path}' under the data root.");
        return real;
    }
}
