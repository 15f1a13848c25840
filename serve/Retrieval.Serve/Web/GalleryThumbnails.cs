using Microsoft.Extensions.Options;
using Retrieval.Core.Data;
using Retrieval.Core.Imaging;
using Retrieval.Core.IO;
using Retrieval.Core.Pictures;
using Retrieval.Serve.Configuration;
using Retrieval.Serve.Engine;

namespace Retrieval.Serve.Web;

/// <summary>
/// Thumbnails of gallery images for the search page: only files inside the gallery's image root (the --data listing's
/// image folder) — a relative name, no '..', no absolute path, and no symbolic link leading out (checked on the resolved
/// real path) — only regular files up to the message size cap, decoded within the image limits and a bounded number at a
/// time, and returned as a JPEG whose longer side is at most <see cref="Side"/> pixels.
/// </summary>
public sealed class GalleryThumbnails(IOptions<ServerOptions> options)
{
    /// <summary>Longest side of a thumbnail in pixels.</summary>
    public const int Side = 256;

    /// <summary>Longest accepted path, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 1024;

    private readonly ServerOptions _options = options.Value;
    private readonly SemaphoreSlim _decodes = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>The JPEG thumbnail of <paramref name="path"/>, or a <see cref="RequestException"/> saying why not.</summary>
    public async Task<byte[]> RenderAsync(string? path, CancellationToken cancellationToken)
    {
        var file = Resolve(path);
        var bytes = await ReadAsync(file, path!, cancellationToken).ConfigureAwait(false);
        await _decodes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var image = ImageDecoder.Decode(bytes, new ImageLimits(_options.MaxImagePixels));
            return ImageEncoder.EncodeJpeg(Thumbnail.Fit(image, Side), quality: 85);
        }
        catch (ImageTooLargeException e)
        {
            throw new RequestException(RequestError.ResourceExhausted, $"path '{path}': {e.Message}.");
        }
        catch (ImageDecodeException e)
        {
            throw new RequestException(RequestError.FailedPrecondition, $"path '{path}': not a readable PNG or JPEG ({e.Message}).");
        }
        finally
        {
            _decodes.Release();
        }
    }

    /// <summary>The real path of the file <paramref name="path"/> names inside the gallery's image root.</summary>
    private string Resolve(string? path)
    {
        if (string.IsNullOrEmpty(_options.Data))
            throw new RequestException(RequestError.FailedPrecondition, "this server has no data root (--data), so it has no gallery images to show.");
        if (string.IsNullOrEmpty(path)) throw new RequestException(RequestError.InvalidArgument, "path is missing: pass ?path=<a neighbour's image_path>.");
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            throw new RequestException(RequestError.InvalidArgument, $"path is longer than {MaxPathBytes} bytes.");
        if (path.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0) throw new RequestException(RequestError.InvalidArgument, "path holds a control character.");
        if (Path.IsPathRooted(path) || path[0] is '/' or '\\' || path.StartsWith('~') || path.Split('/', '\\').Contains(".."))
            throw new RequestException(RequestError.InvalidArgument, "path must be relative to the data root, without '..' segments.");
        var root = InShopReader.ImageRoot(_options.Data);
        var full = Path.GetFullPath(Path.Combine(root, path));
        // The lexical check above cannot see symbolic links: compare real paths (a link out of the root reads as absent).
        if (!RealPath.IsInside(root, full) || RealPath.Of(full) is not { } real)
            throw new RequestException(RequestError.NotFound, $"no image '{path}' under the data root.");
        return real;
    }

    private async Task<byte[]> ReadAsync(string file, string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(file);
        // Devices, FIFOs and directories report no length: refused before open(), which could block on a FIFO.
        if (!info.Exists || info.Length == 0) throw new RequestException(RequestError.NotFound, $"no image '{path}' under the data root.");
        if (info.Length > _options.MaxReceiveBytes)
            throw new RequestException(RequestError.ResourceExhausted, $"path '{path}': the file is {info.Length} bytes, over the {_options.MaxReceiveBytes}-byte limit.");
        return await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
    }
}
